using System.Net;
using System.Text.RegularExpressions;

namespace EstateVoice.Server.Tests.Infrastructure.Http;

/// <summary>
/// The access token lives in localStorage, so every response carries a Content-Security-Policy that lets only our
/// own scripts run, plus the usual browser hardening headers.
/// </summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private readonly string dist = Directory.CreateTempSubdirectory("estate-web-dist-").FullName;
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(dist, "index.html"), "<!doctype html><div id=\"root\"></div>");
        app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["WEB_DIST_PATH"] = dist });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        Directory.Delete(dist, recursive: true);
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/health", "application/json")]
    [InlineData("/leads", "application/json")] // 401 problem
    [InlineData("/assets/missing.js", "*/*")] // 404
    public async Task Every_response_lets_only_our_own_scripts_run_and_cannot_be_framed(string path, string accept)
    {
        var response = await GetAsync(app.CreateClient(), path, accept);

        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Equal("'self'", csp["script-src"]);
        Assert.Equal("'self'", csp["style-src"]);
        Assert.Equal("'self'", csp["connect-src"]); // CSP3: 'self' also matches ws(s):// on the same host (SignalR, test call)
        Assert.Equal("'self' blob:", csp["media-src"]); // recordings play from blob: URLs
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'none'", csp["base-uri"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
        Assert.Equal("camera=(), geolocation=(), microphone=(self), payment=(), usb=()", Header(response, "Permissions-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain http: HSTS would be ignored, and wrong
    }

    [Fact]
    public async Task Over_https_the_browser_is_told_to_stay_on_https()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });

        var response = await GetAsync(client, "/health", "application/json");

        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_docs_page_runs_only_its_own_nonced_scripts()
    {
        var response = await GetAsync(app.CreateClient(), "/docs", "text/html");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scriptSrc = Directives(response)["script-src"];
        var nonce = Regex.Match(scriptSrc, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.DoesNotContain("unsafe", scriptSrc);
        var scriptTags = Regex.Matches(html, "<script[^>]*>");
        Assert.NotEmpty(scriptTags);
        Assert.All(scriptTags, tag => Assert.Contains($"nonce=\"{nonce}\"", tag.Value));
        Assert.NotEqual(nonce, Regex.Match(Directives(await GetAsync(app.CreateClient(), "/docs", "text/html"))["script-src"], "'nonce-([^']+)'").Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await client.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");
}
