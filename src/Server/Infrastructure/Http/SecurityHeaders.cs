using Scalar.AspNetCore;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Browser hardening on every response. The web app keeps its access token in <c>localStorage</c>, where any script
/// running on our origin can read it: the Content-Security-Policy therefore lets only our own files run (no inline
/// script, no eval, no third-party origins). The API docs page (Scalar) gets its own policy, see <see cref="DocsPolicy"/>.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The built React app: scripts, styles and the microphone worklet are files from our origin; React sets element
    /// styles through the CSSOM, which style-src does not govern. <c>connect-src 'self'</c> covers fetch and, per
    /// CSP3, the same-host ws(s):// of SignalR and the browser test call. Recordings play from blob: URLs.
    /// </summary>
    public const string AppPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy = "camera=(), geolocation=(), microphone=(self), payment=(), usb=()";

    /// <summary>A year; without includeSubDomains, since the agency's other hosts are not ours to pin to https.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Scalar boots from an inline module script: it is allowed by a per-request nonce (never 'unsafe-inline'), and
    /// its components inject their own &lt;style&gt; elements, so styles alone are allowed inline on this page.
    /// </summary>
    public static string DocsPolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Set as the response starts, so error pages written after the exception handler cleared headers carry them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce
                ? DocsPolicy(nonce)
                : AppPolicy;
            // IsHttps is true behind a trusted proxy that said X-Forwarded-Proto: https.
            if (context.Request.IsHttps) headers.StrictTransportSecurity = StrictTransportSecurity;
            return Task.CompletedTask;
        });
        return next(context);
    });
}
