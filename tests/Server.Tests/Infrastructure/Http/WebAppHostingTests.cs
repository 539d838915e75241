using System.Net;
using System.Net.Http.Headers;
using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Tests.Infrastructure.Http;

/// <summary>The server hands out the built web app on its own origin without shadowing any API answer.</summary>
public sealed class WebAppHostingTests : IAsyncLifetime
{
    private const string IndexHtml = "<!doctype html><html><body><div id=\"root\"></div>estate-voice-spa</body></html>";
    private readonly string dist = Directory.CreateTempSubdirectory("estate-web-dist-").FullName;
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(dist, "index.html"), IndexHtml);
        Directory.CreateDirectory(Path.Combine(dist, "assets"));
        await File.WriteAllTextAsync(Path.Combine(dist, "assets", "index-abc123.js"), "console.log('app');");
        app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["WEB_DIST_PATH"] = dist });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        Directory.Delete(dist, recursive: true);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await app.CreateClient().SendAsync(request);
    }

    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/live")]
    [InlineData("/calls/42")]
    [InlineData("/admin/users")]
    [InlineData("/properties/7/edit")]
    public async Task Browser_navigation_gets_the_app_without_a_token(string path)
    {
        var response = await GetAsync(path, BrowserAccept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("estate-voice-spa", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task Hashed_assets_are_served_with_a_long_cache()
    {
        var response = await GetAsync("/assets/index-abc123.js", "*/*");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("console.log('app');", await response.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task A_missing_asset_is_404_not_html()
    {
        var response = await GetAsync("/assets/gone-999.js", "*/*");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("estate-voice-spa", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/calls/42", "application/json")]
    [InlineData("/calls/", "*/*")]
    [InlineData("/auth/me", BrowserAccept)]
    [InlineData("/calls/42/recording", BrowserAccept)]
    [InlineData("/campaigns", "application/json")] // a feature added later: no list of prefixes to forget it in
    [InlineData("/some-future-feature/7", "application/json, text/plain, */*")]
    public async Task Api_requests_still_reach_the_api(string path, string accept)
    {
        var response = await GetAsync(path, accept);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode); // anonymous: the API refuses, the app is not served
        Assert.DoesNotContain("estate-voice-spa", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_stays_json()
    {
        var response = await GetAsync("/health", BrowserAccept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Posts_are_never_answered_with_the_app()
    {
        var response = await app.CreateClient().PostAsync("/login", new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Dist_directory_is_found_from_the_repo_root_or_the_server_project()
    {
        Assert.Equal(Path.GetFullPath(dist), WebAppHosting.ResolveDistDirectory(dist, "/nowhere"));
        Assert.Null(WebAppHosting.ResolveDistDirectory(null, Path.GetTempPath() + Guid.NewGuid()));
    }
}
