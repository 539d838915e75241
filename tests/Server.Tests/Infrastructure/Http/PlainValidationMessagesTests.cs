using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Tests.Features.Crm;

namespace EstateVoice.Server.Tests.Infrastructure.Http;

/// <summary>
/// The web app shows these messages next to the field: they speak of the field as the client names it, in plain
/// words, never of C# members or types ("The SquareFeet field is required", "Nullable&lt;decimal&gt; MinPrice").
/// </summary>
public sealed class PlainValidationMessagesTests
{
    [Fact]
    public async Task Missing_body_fields_are_named_as_the_form_names_them()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Manager);

        var response = await client.PostAsJsonAsync("/properties/", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.Equal("Square feet is required.", errors["square_feet"]);
        Assert.Equal("Property type is required.", errors["property_type"]);
        Assert.Equal("Address is required.", errors["address"]);
    }

    [Theory]
    [InlineData("/properties/?min_price=abc", "min_price", "Min price must be a number (got \"abc\").")]
    [InlineData("/properties/?page=two", "page", "Page must be a whole number (got \"two\").")]
    public async Task A_query_value_of_the_wrong_kind_says_what_it_must_be(string path, string field, string message)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Manager);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, body.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(message, body.RootElement.GetProperty("detail").GetString());
    }

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value[0].GetString()!);
    }
}
