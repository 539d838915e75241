using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>Twilio webhooks cap body size and field count before parsing: an oversized form is a 4xx problem, never a 500.</summary>
public sealed class TwilioWebhookLimitsTests
{
    private const string AuthToken = "twilio-test-auth-token";

    [Theory]
    [InlineData("/twilio/webhook", true)]
    [InlineData("/twilio/webhook", false)]
    [InlineData("/twilio/status", true)]
    [InlineData("/twilio/status", false)]
    public async Task A_form_with_5000_fields_is_a_400_problem_and_writes_nothing(string path, bool signed)
    {
        await using var app = await CreateAppAsync();
        var form = StatusCallback("CA-flood", "completed");
        for (var i = 0; i < 5000; i++) form[$"f{i}"] = "x";

        var response = await PostSignedAsync(app.CreateClient(), path, form, signed ? AuthToken : null);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_64_kB_is_a_413_problem_and_writes_nothing(bool signed)
    {
        await using var app = await CreateAppAsync();
        var form = VoiceRequest("CA-big");
        form["Padding"] = new string('x', 70 * 1024);

        var response = await PostSignedAsync(app.CreateClient(), "/twilio/webhook", form, signed ? AuthToken : null);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task A_json_body_over_64_kB_is_a_413_problem()
    {
        await using var app = await CreateAppAsync();
        var json = "{\"Padding\":\"" + new string('x', 70 * 1024) + "\"}";

        var response = await PostSignedJsonAsync(app.CreateClient(), "/twilio/status", json, AuthToken);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_real_sized_twilio_form_still_goes_through()
    {
        await using var app = await CreateAppAsync();
        var form = VoiceRequest("CA-normal");
        for (var i = 0; i < 40; i++) form[$"Extra{i}"] = new string('v', 200); // more and longer fields than Twilio sends

        var response = await PostSignedAsync(app.CreateClient(), "/twilio/webhook", form, AuthToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    private static Task<AppFactory> CreateAppAsync() =>
        AppFactory.CreateAsync(Db.Sqlite, new() { ["TWILIO_AUTH_TOKEN"] = AuthToken, ["PUBLIC_BASE_URL"] = PublicBaseUrl });

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
    }
}
