using System.Net;
using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Where an <c>audio_url</c> may lead. A signed event names the URL, but the signature proves only who sent it, not
/// that fetching it is harmless: without these rules it would make the server fetch (and store, and serve back)
/// anything it can reach — loopback services, the private network, the cloud metadata endpoint. So: https only, hosts
/// on an allow-list, and every connection's resolved address checked (after DNS, and again for each redirect hop,
/// since each hop opens its own connection), so neither a redirect nor a DNS answer can point back inside.
/// </summary>
public sealed class AudioFetchPolicy(ElevenLabsOptions options)
{
    /// <summary>Why <paramref name="url"/> may not be fetched, or null when its scheme and host are allowed.</summary>
    public string? RefuseUrl(Uri url)
    {
        if (!url.IsAbsoluteUri) return "the audio URL is not absolute";
        if (IsLocalApiOrigin(url.Scheme, url.Host, url.Port)) return null;
        if (url.Scheme != Uri.UriSchemeHttps) return $"the audio URL's scheme '{url.Scheme}' is not https";
        if (!IsAllowedHost(url.IdnHost)) return $"the audio URL's host '{url.IdnHost}' is not on the allow-list (ELEVENLABS_AUDIO_HOSTS)";
        return null;
    }

    public bool IsAllowedHost(string host) =>
        options.AudioHosts.Contains(host.TrimEnd('.'), StringComparer.OrdinalIgnoreCase)
        || string.Equals(host, options.ApiUrl.IdnHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The test/development exemption (ELEVENLABS_API_URL_ALLOW_LOCAL): ELEVENLABS_API_URL's exact origin may be
    /// plain http on a local address, so a fake ElevenLabs on loopback can be reached. Nothing else is exempt.
    /// </summary>
    private bool IsLocalApiOrigin(string scheme, string host, int port) =>
        options.AllowLocalApiUrl
        && string.Equals(scheme, options.ApiUrl.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(host, options.ApiUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && port == options.ApiUrl.Port;

    /// <summary>Addresses no fetch may reach (loopback, private, link-local, …): <see cref="OutboundAddressGuard.IsRefusedAddress"/>.</summary>
    public static bool IsRefusedAddress(IPAddress address) => OutboundAddressGuard.IsRefusedAddress(address);

    /// <summary>
    /// The handler for audio downloads: no proxy (the address check must see the real target), no automatic
    /// redirects (the downloader checks each hop), and a connect step that resolves the name itself and refuses
    /// before any byte is sent when the address is off-limits.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => OutboundAddressGuard.CreateHandler(
        (context, _) => context.InitialRequestMessage.RequestUri is { } uri
                        && IsLocalApiOrigin(uri.Scheme, context.DnsEndPoint.Host, context.DnsEndPoint.Port),
        (message, permanent) => new AudioUnavailableException(message, permanent));
}
