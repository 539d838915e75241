using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;

namespace EstateVoice.Server.Tests.Features.Telephony;

public sealed class TwilioWebhookTests
{
    private const string AuthToken = "twilio-test-auth-token";

    private static Task<AppFactory> CreateAppAsync(Db db = Db.Sqlite, bool withToken = true, bool demo = false) =>
        AppFactory.CreateAsync(db, new()
        {
            ["TWILIO_AUTH_TOKEN"] = withToken ? AuthToken : null,
            ["PUBLIC_BASE_URL"] = PublicBaseUrl,
            ["SEED_DEMO_DATA"] = demo ? "true" : "false",
        });

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Voice_webhook_creates_the_call_links_the_lead_and_connects_the_stream(Db db)
    {
        await using var app = await CreateAppAsync(db);
        var agent = await app.CreateUserAsync(EstateVoice.Server.Features.Auth.UserRole.Agent);
        var lead = await AddLeadAsync(app, "+15125550100", agent.Id);

        var response = await PostSignedAsync(app.CreateClient(), "/twilio/webhook", VoiceRequest("CA100"), AuthToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://voice.example.com/twilio/media-stream", (string)stream.Attribute("url")!);
        var parameters = stream.Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);

        var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync());
        Assert.Equal(("CA100", "+15125550100", "+15125550199", CallDirection.Inbound, CallStatus.Ringing),
            (call.CallSid, call.FromNumber, call.ToNumber, call.Direction, call.Status));
        Assert.Equal((lead.Id, agent.Id), (call.LeadId!.Value, call.AgentId!.Value));
        Assert.Equal(call.Id.ToString(), parameters["call_id"]);
        Assert.Equal("inbound", parameters["direction"]);
        Assert.Equal(lead.Id.ToString(), parameters["lead_id"]);
        Assert.True(StreamTokens.Matches(parameters["stream_token"], call.StreamTokenHash));
        Assert.NotEqual(parameters["stream_token"], call.StreamTokenHash);
    }

    [Fact]
    public async Task Voice_webhook_is_idempotent_per_CallSid_and_only_the_latest_token_counts()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateClient();

        var first = Token(await (await PostSignedAsync(client, "/twilio/webhook", VoiceRequest("CA200"), AuthToken)).Content.ReadAsStringAsync());
        var second = Token(await (await PostSignedAsync(client, "/twilio/webhook", VoiceRequest("CA200"), AuthToken)).Content.ReadAsStringAsync());

        var calls = await app.WithDbAsync(d => d.Calls.AsNoTracking().ToListAsync());
        var call = Assert.Single(calls);
        Assert.Null(call.LeadId); // unknown caller: no lead is invented here
        Assert.True(StreamTokens.Matches(second, call.StreamTokenHash));
        Assert.False(StreamTokens.Matches(first, call.StreamTokenHash));
    }

    [Theory]
    [InlineData("/twilio/webhook", "bad-signature")]
    [InlineData("/twilio/webhook", null)]
    [InlineData("/twilio/status", "bad-signature")]
    public async Task A_wrong_or_missing_signature_gets_403_and_writes_nothing(string path, string? signature)
    {
        await using var app = await CreateAppAsync();
        var form = path.EndsWith("status") ? StatusCallback("CA300", "completed", 30) : VoiceRequest("CA300");

        var response = await PostSignedAsync(app.CreateClient(), path, form, authToken: null, signatureOverride: signature);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task A_request_signed_for_another_url_is_refused()
    {
        await using var app = await CreateAppAsync();
        var form = VoiceRequest("CA301");
        var signedElsewhere = Sign(AuthToken, "https://attacker.example.com/twilio/webhook", form);

        var response = await PostSignedAsync(app.CreateClient(), "/twilio/webhook", form, null, signedElsewhere);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task A_json_body_is_checked_against_the_bodySHA256_in_the_signed_url()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateClient();
        const string json = """{"CallSid":"CA800","CallStatus":"completed"}""";

        var signed = await PostSignedJsonAsync(client, "/twilio/status", json, AuthToken);
        var swapped = await PostSignedJsonAsync(client, "/twilio/status", json, AuthToken, signedBody: """{"CallSid":"CA801","CallStatus":"completed"}""");

        // Past the signature check, the status handler reads form fields only: a JSON body is a 400 problem, not a 403.
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), (signed.StatusCode, swapped.StatusCode));
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Status_callbacks_are_idempotent_and_a_late_ringing_never_overwrites_completed(Db db)
    {
        await using var app = await CreateAppAsync(db);
        var client = app.CreateClient();
        await PostSignedAsync(client, "/twilio/webhook", VoiceRequest("CA400"), AuthToken);

        app.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(client, "/twilio/status", StatusCallback("CA400", "in-progress", sequence: 1), AuthToken)).StatusCode);
        app.Time.Advance(TimeSpan.FromSeconds(42));
        var endedAt = app.Time.GetUtcNow();
        await PostSignedAsync(client, "/twilio/status", StatusCallback("CA400", "completed", duration: 42, sequence: 3), AuthToken);
        app.Time.Advance(TimeSpan.FromSeconds(3));
        await PostSignedAsync(client, "/twilio/status", StatusCallback("CA400", "ringing", sequence: 0), AuthToken); // late, out of order
        await PostSignedAsync(client, "/twilio/status", StatusCallback("CA400", "completed", duration: 42, sequence: 3), AuthToken); // retried

        var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync());
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.Equal(42, call.DurationSeconds);
        Assert.Equal(endedAt, call.EndedAt);
        Assert.NotNull(call.AnsweredAt);
        Assert.Null(call.StreamTokenHash); // a finished call can no longer open a stream
    }

    [Fact]
    public async Task A_voice_request_for_a_finished_call_hangs_up_instead_of_streaming()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateClient();
        await PostSignedAsync(client, "/twilio/status", StatusCallback("CA500", "completed", 10), AuthToken);

        var response = await PostSignedAsync(client, "/twilio/webhook", VoiceRequest("CA500"), AuthToken);

        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.NotNull(root.Element("Hangup"));
        Assert.Null(root.Element("Connect"));
        var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync());
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.Null(call.StreamTokenHash);
    }

    [Fact]
    public async Task Missing_CallSid_or_unknown_status_is_a_400_problem()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateClient();
        var noSid = VoiceRequest("x");
        noSid.Remove("CallSid");

        var webhook = await PostSignedAsync(client, "/twilio/webhook", noSid, AuthToken);
        var status = await PostSignedAsync(client, "/twilio/status", StatusCallback("CA600", "exploded"), AuthToken);

        Assert.Equal(HttpStatusCode.BadRequest, webhook.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        var problem = JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("CallStatus", out _) || problem.GetProperty("errors").TryGetProperty("call_status", out _));
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task Without_an_auth_token_checks_are_off_in_demo_mode_only()
    {
        await using (var demo = await CreateAppAsync(withToken: false, demo: true))
        {
            var response = await PostSignedAsync(demo.CreateClient(), "/twilio/webhook", VoiceRequest("CA700"), authToken: null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, await demo.WithDbAsync(d => d.Calls.CountAsync(c => c.CallSid == "CA700")));
        }
        await using var production = await CreateAppAsync(withToken: false, demo: false);
        var refused = await PostSignedAsync(production.CreateClient(), "/twilio/webhook", VoiceRequest("CA701"), authToken: null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, await production.WithDbAsync(d => d.Calls.CountAsync()));
    }

    private static string Token(string twiml) =>
        XDocument.Parse(twiml).Descendants("Parameter").Single(p => (string)p.Attribute("name")! == "stream_token").Attribute("value")!.Value;

    internal static Task<Lead> AddLeadAsync(AppFactory app, string phone, int? agentId, bool consent = true, bool doNotCall = false) =>
        app.WithDbAsync(async d =>
        {
            var lead = new Lead
            {
                Name = "Maria Lopez", Phone = phone, AssignedAgentId = agentId, ConsentToCall = consent, DoNotCall = doNotCall,
                CreatedAt = app.Time.GetUtcNow(), UpdatedAt = app.Time.GetUtcNow(),
            };
            d.Leads.Add(lead);
            await d.SaveChangesAsync();
            return lead;
        });
}
