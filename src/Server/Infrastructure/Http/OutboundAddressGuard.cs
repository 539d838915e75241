using System.Net;
using System.Net.Sockets;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Guards connections the server opens to URLs someone else chose (an ElevenLabs <c>audio_url</c>, an outgoing
/// webhook URL) against server-side request forgery: the name is resolved here, every answer is checked, and the
/// socket connects to the checked addresses, never to the name (a second lookup could answer differently). Used as a
/// <see cref="SocketsHttpHandler.ConnectCallback"/>, so each connection — each redirect hop too — is checked.
/// </summary>
public static class OutboundAddressGuard
{
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
    /// A handler that connects only to allowed addresses: no proxy (the check must see the real target), no automatic
    /// redirects (a caller that follows them checks each hop's URL itself), no cookies.
    /// </summary>
    /// <param name="isExempt">Whether this connection may reach a refused address (a test/development fake on loopback).</param>
    /// <param name="refuse">The exception to throw for a refused or unresolvable target (permanent: retrying cannot help).</param>
    public static SocketsHttpHandler CreateHandler(
        Func<SocketsHttpConnectionContext, IPAddress[], bool> isExempt, Func<string, bool, Exception> refuse) => new()
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, isExempt, refuse, cancellationToken),
        };

    private static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, Func<SocketsHttpConnectionContext, IPAddress[], bool> isExempt,
        Func<string, bool, Exception> refuse, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0) throw refuse($"'{endpoint.Host}' did not resolve", false);
        // Refuse when any answer is off-limits, not only the one we would pick: a name that also resolves inside is
        // not one we trust.
        if (!isExempt(context, addresses) && addresses.FirstOrDefault(IsRefusedAddress) is { } refused)
            throw refuse($"refused to connect to '{endpoint.Host}': it resolves to {refused}, a local or private address", true);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
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
