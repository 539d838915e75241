using Microsoft.AspNetCore.Mvc.Testing;

namespace EstateVoice.Server.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Health_answers_ok()
    {
        await using var factory = new WebApplicationFactory<Program>();
        var response = await factory.CreateClient().GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
