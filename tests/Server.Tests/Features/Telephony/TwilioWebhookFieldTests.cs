using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>
/// A valid signature says who sent a request, not that its fields fit our columns: a signed form with a NUL or an
/// over-long field (a stolen auth token, a misconfigured proxy, a SIP trunk) is a 400 naming the field on both
/// databases, never a 500 from PostgreSQL, and writes nothing.
/// </summary>
public sealed class TwilioWebhookFieldTests
{
    private const string AuthToken = "twilio-test-auth-token";

    public static TheoryData<Db, string, string, bool> BadFields()
    {
        var data = new TheoryData<Db, string, string, bool>();
        foreach (var db in new[] { Db.Sqlite, Db.Postgres })
        {
            data.Add(db, "CallSid", "CA" + new string('1', 10_000), false);
            data.Add(db, "ParentCallSid", "CA" + new string('2', 100), false);
            data.Add(db, "From", "+1512" + new string('5', 40), false);
            data.Add(db, "To", "+1512555\00199", true);
            data.Add(db, "From", "+1512555\00100", true);
        }
        return data;
    }

    [Theory, MemberData(nameof(BadFields))]
    public async Task A_signed_voice_request_with_a_field_our_columns_cannot_hold_is_a_400_naming_it(Db db, string field, string value, bool multipart)
    {
        await using var app = await AppFactory.CreateAsync(db, new() { ["TWILIO_AUTH_TOKEN"] = AuthToken, ["PUBLIC_BASE_URL"] = PublicBaseUrl });
        var form = VoiceRequest("CA" + Guid.NewGuid().ToString("N"));
        form[field] = value;

        var response = multipart
            ? await PostSignedMultipartAsync(app.CreateClient(), "/twilio/webhook", form)
            : await PostSignedAsync(app.CreateClient(), "/twilio/webhook", form, AuthToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        // Error keys follow the API's snake_case, as the webhook's own "CallSid is required" does.
        Assert.True(problem.GetProperty("errors").TryGetProperty(JsonNamingPolicy.SnakeCaseLower.ConvertName(field), out _),
            await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_signed_status_callback_with_an_over_long_call_sid_is_a_400_and_writes_nothing(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, new() { ["TWILIO_AUTH_TOKEN"] = AuthToken, ["PUBLIC_BASE_URL"] = PublicBaseUrl });

        var response = await PostSignedAsync(app.CreateClient(), "/twilio/status", StatusCallback("CA" + new string('9', 500), "completed"), AuthToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    private static Task<HttpResponseMessage> PostSignedMultipartAsync(HttpClient client, string path, Dictionary<string, string> form)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in form) content.Add(new StringContent(value), name);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, Sign(AuthToken, PublicBaseUrl + path, form));
        return client.SendAsync(request);
    }
}
