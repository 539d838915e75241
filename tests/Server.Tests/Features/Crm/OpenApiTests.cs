using System.Text.Json;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Crm;

public class OpenApiTests
{
    [Fact]
    public async Task The_api_description_lists_the_crm_endpoints_with_snake_case_parameters()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var document = await app.CreateClient().GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/properties", "/properties/{id}", "/leads", "/leads/{id}/assign", "/calls", "/calls/{id}",
                     "/showings", "/showings/{id}/cancel", "/reports/summary", "/admin/users", "/admin/users/{id}/deactivate", "/users/agents" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        var parameters = paths.GetProperty("/properties").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("min_price", parameters);
        Assert.Contains("page_size", parameters);
        Assert.Equal(JsonValueKind.Object, paths.GetProperty("/leads").GetProperty("post").GetProperty("requestBody").ValueKind);
    }

    [Fact]
    public async Task Strings_read_by_our_own_converter_are_still_described_as_strings()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var schemas = (await app.CreateClient().GetJsonAsync("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");

        Assert.Equal("\"string\"", schemas.GetProperty("LoginRequest").GetProperty("properties").GetProperty("email").GetProperty("type").GetRawText());
        var property = schemas.GetProperty("PropertyRequest").GetProperty("properties");
        Assert.Equal(["null", "string"], property.GetProperty("description").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("\"string\"", property.GetProperty("features").GetProperty("items").GetProperty("type").GetRawText());
        Assert.Equal("1000000000", property.GetProperty("price").GetProperty("maximum").GetRawText());
    }
}
