using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EstateVoice.Server.Tests.Infrastructure;

public class OperationsTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Health_checks_the_database(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var health = await app.CreateClient().GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_openapi_and_docs_are_served_without_a_token()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var client = app.CreateClient();
        await client.GetAsync("/health");

        var metrics = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration", await metrics.Content.ReadAsStringAsync());
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/auth/login", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public async Task Endpoints_need_a_token_unless_marked_public()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var response = await app.CreateClient().GetAsync("/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
