using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Whose <c>X-Forwarded-For/-Host/-Proto</c> the server believes: the addresses and networks in
/// <c>TRUSTED_PROXIES</c>, else ASP.NET's default (loopback only). Never "everyone": the client address picks the
/// login and webhook rate-limit partitions, so a header any client can invent must not move it.
/// </summary>
public static class TrustedProxies
{
    public const string Variable = "TRUSTED_PROXIES";

    public static void Configure(ForwardedHeadersOptions options, string? configured)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        var networks = Parse(configured);
        if (networks.Count == 0) return; // keep the defaults: 127.0.0.0/8 and ::1
        // Both lists empty would mean "trust every sender" to the middleware: only cleared when replaced.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in networks) options.KnownIPNetworks.Add(network);
    }

    /// <summary>Comma-separated IPs or CIDR networks; anything else stops startup (a typo would silently trust nobody).</summary>
    public static IReadOnlyList<System.Net.IPNetwork> Parse(string? configured)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (configured ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            else
                throw new InvalidOperationException(
                    $"{Variable} entry '{entry}' is not an IP address or CIDR network (e.g. 10.0.0.5 or 10.0.0.0/8); host names are not accepted.");
        }
        return networks;
    }
}
