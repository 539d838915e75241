using System.Net;
using System.Net.Sockets;

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

    /// <summary>
    /// True for addresses a fetch must never reach: loopback, private (RFC 1918, CGNAT, unique-local), link-local
    /// (incl. the 169.254.169.254 metadata service), unspecified, multicast/broadcast, and the same in IPv4-mapped or
    /// NAT64/6to4 IPv6 forms.
    /// </summary>
    public static bool IsRefusedAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return IsRefusedAddress(address.MapToIPv4());
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224 // "this network", private, loopback, multicast + reserved + broadcast
                   || (b[0] == 100 && (b[1] & 0xC0) == 64) // 100.64/10 carrier-grade NAT
                   || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
                   || (b[0] == 172 && (b[1] & 0xF0) == 16) // 172.16/12
                   || (b[0] == 192 && b[1] == 168) // 192.168/16
                   || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
                   || (b[0] == 198 && (b[1] & 0xFE) == 18); // 198.18/15 benchmarking
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6Multicast) return true;
        var v6 = address.GetAddressBytes();
        if ((v6[0] & 0xFE) == 0xFC) return true; // fc00::/7 unique-local
        // Forms that carry an IPv4 address inside: judge the IPv4 address. 64:ff9b::/96 (NAT64), 2002::/16 (6to4),
        // ::/96 (IPv4-compatible, deprecated).
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B && v6[4..12].All(x => x == 0))
            return IsRefusedAddress(new IPAddress(v6[12..16]));
        if (v6[0] == 0x20 && v6[1] == 0x02) return IsRefusedAddress(new IPAddress(v6[2..6]));
        if (v6[..12].All(x => x == 0)) return true;
        return false;
    }

    /// <summary>
    /// The handler for audio downloads: no proxy (the address check must see the real target), no automatic
    /// redirects (the downloader checks each hop), and a connect step that resolves the name itself and refuses
    /// before any byte is sent when the address is off-limits.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var exempt = context.InitialRequestMessage.RequestUri is { } uri && IsLocalApiOrigin(uri.Scheme, endpoint.Host, endpoint.Port);
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        // Refuse when any answer is off-limits, not only the one we would pick: a name that also resolves inside is
        // not one we trust.
        if (!exempt && addresses.FirstOrDefault(IsRefusedAddress) is { } refused)
            throw new AudioUnavailableException($"refused to connect to '{endpoint.Host}': it resolves to {refused}, a local or private address", permanent: true);
        if (addresses.Length == 0) throw new AudioUnavailableException($"'{endpoint.Host}' did not resolve", permanent: false);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Connect to the addresses just checked, never to the name (a second lookup could answer differently).
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
