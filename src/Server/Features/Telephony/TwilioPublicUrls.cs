using System.Globalization;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// The one place that builds the URLs Twilio is given (TwiML fetch, status callback, media stream) and signs (webhook
/// signature checks). They come from <c>PUBLIC_BASE_URL</c>, required whenever Twilio credentials are set, and never
/// from the request's <c>Host</c> or <c>X-Forwarded-*</c> headers: whoever sends a request controls those, and a
/// callback URL taken from them hands a call on the agency's number to that sender's server. Without
/// <c>PUBLIC_BASE_URL</c> (local demo, no Twilio account) the server's own listen address stands in.
/// </summary>
public sealed class TwilioPublicUrls(IOptions<TwilioOptions> options, IServer server)
{
    public const string WebhookPath = "/twilio/webhook";
    public const string StatusPath = "/twilio/status";
    public const string MediaStreamPath = Voice.MediaStreamEndpoint.TwilioPath;
    public const string DialStatusPath = "/twilio/voice/dial-status";
    public const string WhisperPath = "/twilio/voice/whisper";
    public const string AnsweringMachinePath = "/twilio/voice/amd";

    private string? listenBase;

    /// <summary><c>https://host[:port][/prefix]</c> without a trailing slash.</summary>
    public string Base => Normalise(options.Value.PublicBaseUrl) ?? (listenBase ??= ListenBase(server)) ?? "http://localhost";

    public string Webhook => Base + WebhookPath;
    public string StatusCallback => Base + StatusPath;
    /// <summary>A campaign call's asynchronous answering-machine detection result (<c>AnsweredBy</c>).</summary>
    public string AnsweringMachine => Base + AnsweringMachinePath;

    /// <summary>The transfer's <c>&lt;Dial action&gt;</c>: Twilio posts the dial's outcome (<c>DialCallStatus</c>) here.</summary>
    public string DialStatus(int callId) => $"{Base}{DialStatusPath}?call_id={callId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A warm transfer's <c>&lt;Number url&gt;</c>: the person who answers hears <paramref name="text"/> before being connected.</summary>
    public string Whisper(int callId, string text) =>
        $"{Base}{WhisperPath}?call_id={callId.ToString(CultureInfo.InvariantCulture)}&text={Uri.EscapeDataString(text)}";

    /// <summary><c>wss://{public host}/twilio/media-stream</c>, the URL written into the TwiML (Twilio requires wss).</summary>
    public string MediaStream => "wss" + Base[Base.IndexOf("://", StringComparison.Ordinal)..] + MediaStreamPath;

    /// <summary>The URL Twilio called for this request, as Twilio signed it: our public base plus the route and query.</summary>
    public string Of(HttpRequest request) => Base + request.Path + request.QueryString;

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// Host filtering follows <c>PUBLIC_BASE_URL</c> unless <c>AllowedHosts</c> is configured: its host, plus the
    /// loopback names so local health checks and a reverse proxy on the same machine that does not pass the Host on
    /// keep working (no URL is built from any Host, so allowing those grants nothing). Without <c>PUBLIC_BASE_URL</c>
    /// a server listening on loopback only (the local demo) answers loopback names only: otherwise a web page the user
    /// visits could point its own name at 127.0.0.1 (DNS rebinding) and read the demo app as a same-origin page.
    /// </summary>
    internal static void ConfigureHostFiltering(HostFilteringOptions filtering, TwilioOptions twilio, IConfiguration config)
    {
        if (config["AllowedHosts"] is { Length: > 0 } configured && configured.Trim() != "*") return;
        if (Uri.TryCreate(twilio.PublicBaseUrl, UriKind.Absolute, out var publicBase))
            filtering.AllowedHosts = [publicBase.IdnHost, .. LoopbackNames];
        else if (ListensOnLoopbackOnly(config))
            filtering.AllowedHosts = LoopbackNames;
    }

    /// <summary>ASP.NET's own URL settings if given, else <c>HOST</c> (default 127.0.0.1, see AddAppConfiguration).</summary>
    private static bool ListensOnLoopbackOnly(IConfiguration config)
    {
        var urls = config["ASPNETCORE_URLS"] is { Length: > 0 } u ? u : config["urls"];
        var hosts = urls is { Length: > 0 }
            ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(url => Uri.TryCreate(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri) ? uri.Host : "")
            : [config["HOST"] is { Length: > 0 } host ? host : "127.0.0.1"];
        return hosts.All(host => host.Trim('[', ']') is "localhost" or "127.0.0.1" or "::1");
    }

    internal static string? Normalise(string? configured) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/') : null;

    /// <summary>The first address the server listens on, a wildcard bind read as loopback; null before it listens or on the test server.</summary>
    private static string? ListenBase(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return null;
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        uri.Host = uri.Host switch { "0.0.0.0" => "127.0.0.1", "[::]" => "[::1]", var host => host };
        return Normalise(uri.Uri.ToString());
    }
}
