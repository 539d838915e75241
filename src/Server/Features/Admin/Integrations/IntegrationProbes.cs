using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Notifications.Email;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;
using EstateVoice.Server.Features.Voice.Providers.Deepgram;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010;

namespace EstateVoice.Server.Features.Admin.Integrations;

/// <summary>
/// Reads each service's options (never echoing a secret) and runs one cheap authenticated request against it.
/// A test never throws for the service's sake: refusals, timeouts and network errors come back as a failed result.
/// </summary>
public sealed class IntegrationProbes(
    IOptions<TwilioOptions> twilio, IOptions<DeepgramOptions> deepgram, IOptions<AzureOpenAIOptions> azureOpenAI,
    ElevenLabsOptions elevenLabs, StorageOptions storage, IOptions<SmtpOptions> smtp, SmtpMailer mailer, IBlobStore blobs,
    IHttpClientFactory httpClients, AppDbContext db, TimeProvider time)
{
    public const string HttpClientName = "integrations";
    /// <summary>Short: the admin is waiting on the page, and a healthy service answers these in well under a second.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(8);
    private const string AzureOpenAIApiVersion = "2024-10-21";

    public IReadOnlyList<IntegrationStatus> Statuses()
    {
        var t = twilio.Value;
        var d = deepgram.Value;
        var a = azureOpenAI.Value;
        var s = smtp.Value;
        return
        [
            new("twilio", "Twilio", !string.IsNullOrWhiteSpace(t.AccountSid) && !string.IsNullOrWhiteSpace(t.AuthToken), null, t.ApiUrl,
                Facts(("account " + t.AccountSid, t.AccountSid is not null), ("auth token set", t.AuthToken is not null),
                    ("phone number " + t.PhoneNumber, t.PhoneNumber is not null), ("public URL " + t.PublicBaseUrl, t.PublicBaseUrl is not null)),
                ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER", "PUBLIC_BASE_URL"]),
            new("deepgram", "Deepgram", d.IsConfigured, null, d.ApiUrl,
                Facts(("API key set", d.IsConfigured), ("speech-to-text model " + d.SttModel, true), ("text-to-speech model " + d.TtsModel, true)),
                ["DEEPGRAM_API_KEY"]),
            new("azure-openai", "Azure OpenAI", a.IsConfigured, null, a.Endpoint,
                Facts(("API key set", !string.IsNullOrWhiteSpace(a.ApiKey)), ("deployment " + a.Deployment, true)),
                ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_DEPLOYMENT"]),
            new("elevenlabs", "ElevenLabs", elevenLabs.ApiKey is not null, null, elevenLabs.ApiUrl.ToString(),
                Facts(("API key set", elevenLabs.ApiKey is not null), ("webhook secret set", elevenLabs.WebhookSecret is not null)),
                ["ELEVENLABS_API_KEY", "ELEVENLABS_WEBHOOK_SECRET"]),
            new("storage", "Recording storage", true, storage.UsesAzure ? "azure" : "local",
                storage.UsesAzure ? AzureAccountHost(storage.AzureConnectionString!) : null,
                storage.UsesAzure ? Facts(("container " + storage.ContainerName, true)) : Facts(("local files (server data directory)", true)),
                ["AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_CONTAINER_NAME"]),
            new("smtp", "Email (SMTP)", s.Enabled, s.Enabled ? s.Tls : null, s.Enabled ? $"{s.Host}:{s.Port}" : null,
                Facts(("from " + s.From, s.From is not null), ("username " + s.Username, s.Username is not null), ("password set", s.Password is not null)),
                ["SMTP_HOST", "SMTP_PORT", "SMTP_FROM", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_TLS"]),
        ];
    }

    public async Task<IntegrationTestResult> TestAsync(string name, ClaimsPrincipal me, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        (bool Ok, int? Status, string Message) outcome;
        try
        {
            outcome = name switch
            {
                "twilio" => await TwilioAsync(timeout.Token),
                "deepgram" => await DeepgramAsync(timeout.Token),
                "azure-openai" => await AzureOpenAIAsync(timeout.Token),
                "elevenlabs" => await ElevenLabsAsync(timeout.Token),
                "storage" => await StorageAsync(timeout.Token),
                "smtp" => await SmtpAsync(me, timeout.Token),
                _ => throw new UnreachableException(name),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = (false, null, $"No answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TwilioException
                                      or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException
                                      or MailKit.Net.Smtp.SmtpProtocolException or MailKit.Security.AuthenticationException
                                      or System.Net.Sockets.SocketException or Azure.RequestFailedException or UnauthorizedAccessException)
        {
            outcome = (false, null, e.Message);
        }
        return new IntegrationTestResult(name, outcome.Ok, outcome.Status, outcome.Message, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<(bool, int?, string)> TwilioAsync(CancellationToken ct)
    {
        var o = twilio.Value;
        var client = new TwilioRestClient(o.AccountSid, o.AuthToken,
            httpClient: new Twilio.Http.SystemNetHttpClient(httpClients.CreateClient(TwilioCalls.HttpClientName)));
        using var _ = TwilioHttpHandler.CancelWith(ct);
        try
        {
            var account = await AccountResource.FetchAsync(pathSid: o.AccountSid, client: client).ConfigureAwait(false);
            return (true, 200, $"Twilio answered: account \"{account.FriendlyName}\" is {account.Status}.");
        }
        catch (ApiException e) when (e.Status is 401 or 403)
        {
            return (false, e.Status, $"Twilio refused the key ({e.Status}): {e.Message}");
        }
        catch (ApiException e)
        {
            return (false, e.Status, TwilioCalls.Describe(e));
        }
        catch (ApiConnectionException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    private Task<(bool, int?, string)> DeepgramAsync(CancellationToken ct)
    {
        var o = deepgram.Value;
        var request = new HttpRequestMessage(HttpMethod.Get, o.BuildUri("/v1/projects", webSocket: false));
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", o.ApiKey);
        return SendAsync("Deepgram", request, ct);
    }

    private Task<(bool, int?, string)> AzureOpenAIAsync(CancellationToken ct)
    {
        var o = azureOpenAI.Value;
        var url = $"{o.Endpoint!.TrimEnd('/')}/openai/deployments/{Uri.EscapeDataString(o.Deployment)}/chat/completions?api-version={AzureOpenAIApiVersion}";
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":"Say OK."}],"max_tokens":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("api-key", o.ApiKey);
        return SendAsync("Azure OpenAI", request, ct);
    }

    private Task<(bool, int?, string)> ElevenLabsAsync(CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(elevenLabs.ApiUrl, "v1/user"));
        request.Headers.Add("xi-api-key", elevenLabs.ApiKey);
        return SendAsync("ElevenLabs", request, ct);
    }

    private async Task<(bool, int?, string)> SendAsync(string service, HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (true, status, $"{service} accepted the key ({status}).");
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return (false, status, $"{service} refused the key ({status}).");
            var body = await response.Content.ReadAsStringAsync(ct);
            return (false, status, $"{service} answered {status}: {Shorten(body)}");
        }
    }

    private async Task<(bool, int?, string)> StorageAsync(CancellationToken ct)
    {
        var name = $"integration-tests/{Guid.NewGuid():N}.txt";
        var written = Encoding.UTF8.GetBytes($"Estate Voice storage test {time.GetUtcNow():O}");
        await blobs.UploadAsync(name, new MemoryStream(written), "text/plain", new Dictionary<string, string>(), ct);
        try
        {
            await using var read = await blobs.OpenReadAsync(name, ct);
            if (read is null) return (false, null, "The test blob was written but could not be found again.");
            using var copy = new MemoryStream();
            await read.Content.CopyToAsync(copy, ct);
            return copy.ToArray().AsSpan().SequenceEqual(written)
                ? (true, null, $"Wrote, read back and deleted a {written.Length}-byte blob ({(storage.UsesAzure ? "Azure Blob" : "local files")}).")
                : (false, null, "The test blob read back different bytes than were written.");
        }
        finally
        {
            await blobs.DeleteAsync(name, CancellationToken.None);
        }
    }

    private async Task<(bool, int?, string)> SmtpAsync(ClaimsPrincipal me, CancellationToken ct)
    {
        var id = me.GetUserId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Email, u.Name }).SingleAsync(ct);
        await mailer.SendAsync(new OutgoingEmail(user.Email, user.Name, "Estate Voice test email",
            "This is a test email from the Admin > Integrations page: SMTP is set up."), ct);
        return (true, null, $"Sent a test email to {user.Email}.");
    }

    private static List<string> Facts(params (string Text, bool Shown)[] facts) =>
        facts.Where(f => f.Shown).Select(f => f.Text).ToList();

    /// <summary>The account's blob host from a connection string, without the key.</summary>
    private static string? AzureAccountHost(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("BlobEndpoint", out var endpoint)) return endpoint;
        if (parts.TryGetValue("AccountName", out var account))
            return $"{account}.blob.{(parts.TryGetValue("EndpointSuffix", out var suffix) ? suffix : "core.windows.net")}";
        return connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ? "Azurite (development storage)" : null;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
