using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>Twilio REST API error (<c>{code, message, more_info, status}</c>).</summary>
public sealed class TwilioApiException(HttpStatusCode status, int? code, string message)
    : Exception($"Twilio answered {(int)status}{(code is null ? "" : $" (error {code})")}: {message}")
{
    public HttpStatusCode Status { get; } = status;
    public int? Code { get; } = code;
}

public sealed record TwilioCallResource(string Sid, string? Status);

/// <summary>The two Call resource operations we need, form-encoded with HTTP Basic auth (no Twilio SDK is available here).</summary>
public sealed class TwilioRestClient(HttpClient http, IOptions<TwilioOptions> options)
{
    /// <summary><c>POST /2010-04-01/Accounts/{sid}/Calls.json</c>: places a call whose TwiML comes from <paramref name="answerUrl"/>.</summary>
    public Task<TwilioCallResource> CreateCallAsync(string to, string answerUrl, string statusCallbackUrl, CancellationToken ct)
    {
        var settings = options.Value;
        List<KeyValuePair<string, string>> form =
        [
            new("To", to), new("From", settings.PhoneNumber!), new("Url", answerUrl), new("Method", "POST"),
            new("StatusCallback", statusCallbackUrl), new("StatusCallbackMethod", "POST"),
            // One field per event, as Twilio's API expects for list parameters.
            new("StatusCallbackEvent", "initiated"), new("StatusCallbackEvent", "ringing"),
            new("StatusCallbackEvent", "answered"), new("StatusCallbackEvent", "completed"),
        ];
        return SendAsync("Calls.json", form, ct);
    }

    /// <summary><c>POST .../Calls/{callSid}.json</c>: redirects a live call to new TwiML (or ends it with Status=completed).</summary>
    public Task<TwilioCallResource> UpdateCallAsync(string callSid, IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct) =>
        SendAsync($"Calls/{Uri.EscapeDataString(callSid)}.json", form, ct);

    private async Task<TwilioCallResource> SendAsync(string resource, IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.AccountSid) || string.IsNullOrWhiteSpace(settings.AuthToken))
            throw new InvalidOperationException("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set to use Twilio's REST API");
        var uri = new Uri($"{settings.ApiUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid)}/{resource}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.RestTimeout);
        using var response = await http.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        if (!response.IsSuccessStatusCode) throw Error(response.StatusCode, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new TwilioCallResource(root.GetProperty("sid").GetString()!,
            root.TryGetProperty("status", out var status) ? status.GetString() : null);
    }

    private static TwilioApiException Error(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : (int?)null;
            var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
            return new TwilioApiException(status, code, message ?? body);
        }
        catch (JsonException)
        {
            return new TwilioApiException(status, null, body.Length > 300 ? body[..300] : body);
        }
    }
}
