using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Serves the React app (<c>web/dist</c>) on the API's own origin, so the browser needs no CORS and the token never
/// crosses origins. Client-side routes share names with API paths (<c>/calls/42</c> is both a page and a resource):
/// a browser navigation (<c>Accept: text/html</c>) gets the app, a <c>fetch</c> (any other <c>Accept</c>) gets the API. That choice is made
/// before authentication, which is why this is middleware placed after <c>UseHttp()</c> and not a fallback endpoint
/// (the fallback authorization policy would answer 401 to an anonymous visitor opening a bookmarked page).
/// </summary>
public static class WebAppHosting
{
    /// <summary>Paths that are only ever API, docs or protocol endpoints: never answered with the app.</summary>
    private static readonly string[] ApiOnlyPrefixes =
        ["/auth", "/twilio", "/webhooks", "/hubs", "/voice", "/health", "/metrics", "/docs", "/openapi", "/scalar"];

    public static WebApplication UseWebApp(this WebApplication app)
    {
        var dist = ResolveDistDirectory(app.Configuration["WEB_DIST_PATH"], app.Environment.ContentRootPath);
        if (dist is null)
        {
            app.Logger.LogInformation("Web app not built (no web/dist/index.html); serving the API only. `make build-web` builds it.");
            return app;
        }

        var files = new PhysicalFileProvider(dist);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable" // content-hashed names: a new build has new names
                    : "no-cache",
        });
        app.Use(async (context, next) =>
        {
            if (IsMissingAppFile(context.Request))
            {
                // Static files found nothing: answer 404 here rather than the auth fallback's 401.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (!IsAppNavigation(context.Request))
            {
                await next(context);
                return;
            }
            var index = files.GetFileInfo("index.html");
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache"; // always revalidate so a deploy is picked up at once
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.ContentLength = index.Length;
                return;
            }
            await context.Response.SendFileAsync(index, context.RequestAborted);
        });
        app.Logger.LogInformation("Serving the web app from {Directory}", dist);
        return app;
    }

    /// <summary><c>WEB_DIST_PATH</c> if set, else <c>web/dist</c> next to the content root or two levels up (the repo root when run from src/Server).</summary>
    internal static string? ResolveDistDirectory(string? configured, string contentRoot)
    {
        string[] candidates = string.IsNullOrWhiteSpace(configured)
            ? [Path.Combine(contentRoot, "web", "dist"), Path.Combine(contentRoot, "..", "..", "web", "dist")]
            : [Path.GetFullPath(configured, contentRoot)];
        return candidates.Select(Path.GetFullPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "index.html")));
    }

    internal static bool IsAppNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path;
        if (ApiOnlyPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return false;
        // A missing script or image must be a 404, not HTML the browser then fails to parse.
        if (path.StartsWithSegments("/assets") || Path.HasExtension(path.Value)) return false;
        // Every other path may be a page, an API resource or both (/calls/42): only a navigation, which asks for HTML,
        // gets the app. No list of the API's prefixes to keep up to date: one was, and a new feature's GETs (/campaigns)
        // were answered with index.html until someone noticed.
        return AcceptsHtml(request) && !path.Value!.EndsWith("/recording", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A GET for a build asset or a root file (favicon.ico, robots.txt) that the static files did not have.</summary>
    internal static bool IsMissingAppFile(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path.Value ?? "";
        return request.Path.StartsWithSegments("/assets")
            || (path.LastIndexOf('/') == 0 && Path.HasExtension(path));
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
