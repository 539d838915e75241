using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.Types;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// The two Call resource operations we use, through Twilio's SDK (<see cref="CallResource"/>): place an outbound call and
/// redirect a live one to new TwiML. Errors surface as the SDK's <see cref="TwilioException"/>s
/// (<see cref="ApiException"/> with Twilio's code when Twilio answered, <see cref="ApiConnectionException"/> when it did not).
/// </summary>
public sealed class TwilioCalls(IHttpClientFactory httpClients, IOptions<TwilioOptions> options)
{
    /// <summary>The named <see cref="System.Net.Http.HttpClient"/> the SDK sends through (timeout, <c>TWILIO_API_URL</c>).</summary>
    public const string HttpClientName = "twilio";

    /// <summary><c>POST /2010-04-01/Accounts/{sid}/Calls.json</c>: places a call whose TwiML comes from <paramref name="answerUrl"/>.</summary>
    /// <param name="from">The caller ID; null = <c>TWILIO_PHONE_NUMBER</c>.</param>
    /// <param name="asyncAmdCallback">When set, answering-machine detection runs alongside the call (the agent starts at once)
    /// and Twilio posts <c>AnsweredBy</c> there once the machine's greeting ends.</param>
    public async Task<CallResource> CreateCallAsync(string to, string answerUrl, string statusCallbackUrl, CancellationToken ct,
        string? from = null, string? asyncAmdCallback = null)
    {
        var call = new CreateCallOptions(new PhoneNumber(to), new PhoneNumber(from ?? options.Value.PhoneNumber))
        {
            Url = new Uri(answerUrl), Method = TwilioHttpMethod.Post,
            StatusCallback = new Uri(statusCallbackUrl), StatusCallbackMethod = TwilioHttpMethod.Post,
            StatusCallbackEvent = ["initiated", "ringing", "answered", "completed"],
        };
        if (asyncAmdCallback is not null)
        {
            call.MachineDetection = "DetectMessageEnd";
            call.AsyncAmd = "true";
            call.AsyncAmdStatusCallback = new Uri(asyncAmdCallback);
            call.AsyncAmdStatusCallbackMethod = TwilioHttpMethod.Post;
        }
        return await SendAsync(client => CallResource.CreateAsync(call, client), ct);
    }

    /// <summary><c>POST .../Calls/{callSid}.json</c> with <c>Twiml</c>: the live call leaves our media stream and runs <paramref name="twiml"/>.</summary>
    public async Task<CallResource> RedirectAsync(string callSid, VoiceResponse twiml, CancellationToken ct)
    {
        var update = new UpdateCallOptions(callSid) { Twiml = new Twilio.Types.Twiml(TwiML.Serialize(twiml)) };
        return await SendAsync(client => CallResource.UpdateAsync(update, client), ct);
    }

    /// <summary>What went wrong, for logs and problem details: Twilio's status and error code when it answered.</summary>
    public static string Describe(TwilioException error) => error is ApiException { Code: > 0 } api
        ? $"Twilio answered {api.Status} (error {api.Code}): {api.Message}"
        : error.Message;

    private async Task<CallResource> SendAsync(Func<ITwilioRestClient, Task<CallResource>> operation, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.AccountSid) || string.IsNullOrWhiteSpace(settings.AuthToken))
            throw new InvalidOperationException("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set to use Twilio's REST API");
        // A client per operation: it is a few fields around the pooled HttpClient, and picks up changed options.
        var client = new TwilioRestClient(settings.AccountSid, settings.AuthToken,
            httpClient: new Twilio.Http.SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
        // The SDK's async calls take no CancellationToken: the handler under it reads ours from here.
        using var _ = TwilioHttpHandler.CancelWith(ct);
        try
        {
            return await operation(client).ConfigureAwait(false);
        }
        catch (ApiConnectionException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct); // our caller gave up: not a Twilio failure
        }
    }
}

/// <summary>
/// Under the SDK: sends its requests to <c>TWILIO_API_URL</c> (the SDK always builds <c>https://api.twilio.com/...</c>;
/// tests and a proxy point it elsewhere), and cancels them with the caller's token, which the SDK cannot pass down.
/// </summary>
internal sealed class TwilioHttpHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    private static readonly AsyncLocal<CancellationToken> Caller = new();

    public static IDisposable CancelWith(CancellationToken ct)
    {
        var previous = Caller.Value;
        Caller.Value = ct;
        return new Restore(previous);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && Uri.TryCreate(options.Value.ApiUrl, UriKind.Absolute, out var api)
            && !string.Equals(api.Host, uri.Host, StringComparison.OrdinalIgnoreCase))
        {
            var target = new UriBuilder(uri) { Scheme = api.Scheme, Host = api.Host, Port = api.Port, Path = api.AbsolutePath.TrimEnd('/') + uri.AbsolutePath };
            request.RequestUri = target.Uri;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Caller.Value);
        return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
    }

    private sealed class Restore(CancellationToken previous) : IDisposable
    {
        public void Dispose() => Caller.Value = previous;
    }
}
