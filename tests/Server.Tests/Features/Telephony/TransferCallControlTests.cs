using System.Xml.Linq;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Telephony;

public sealed class TransferCallControlTests : IAsyncLifetime
{
    private FakeTwilioRestServer _twilio = null!;
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilioRestServer.StartAsync();
        _app = await AppFactory.CreateAsync(Db.Sqlite, new()
        {
            ["TWILIO_ACCOUNT_SID"] = FakeTwilioRestServer.AccountSid, ["TWILIO_AUTH_TOKEN"] = FakeTwilioRestServer.AuthToken,
            ["TWILIO_PHONE_NUMBER"] = "+15125550123", ["TWILIO_API_URL"] = _twilio.BaseUrl, ["Voice:OfficePhone"] = "+15125550100",
            ["PUBLIC_BASE_URL"] = TwilioTestClient.PublicBaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task The_voice_loop_transfers_to_the_lead_agents_phone_through_twilio()
    {
        var agent = await _app.CreateUserAsync(UserRole.Agent); // AppFactory gives users +14155550199
        var lead = await TwilioWebhookTests.AddLeadAsync(_app, "+15125550444", agent.Id);

        var transferred = await Control().TransferAsync(new VoiceCall(1, "CA900", "+15125550444", lead.Id, null), "caller asked", null, CancellationToken.None);

        Assert.True(transferred.Accepted);
        var request = Assert.Single(_twilio.Requests);
        Assert.EndsWith("/Calls/CA900.json", request.Path);
        Assert.Equal("+14155550199", XDocument.Parse(request["Twiml"]!).Root!.Element("Dial")!.Value);
    }

    [Fact]
    public async Task Without_an_agent_the_office_number_is_dialled_and_browser_calls_are_not_transferred()
    {
        Assert.True((await Control().TransferAsync(new VoiceCall(2, "CA901", "+15125550555", null, null), "dtmf 0", null, CancellationToken.None)).Accepted);
        Assert.False((await Control().TransferAsync(new VoiceCall(3, "BR123", "browser", null, null), "dtmf 0", null, CancellationToken.None)).Accepted);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("+15125550100", XDocument.Parse(request["Twiml"]!).Root!.Element("Dial")!.Value);
    }

    [Fact]
    public async Task A_twilio_refusal_reports_false_so_the_session_can_say_so()
    {
        _twilio.Failure = (404, 20404, "The requested resource was not found");

        Assert.False((await Control().TransferAsync(new VoiceCall(4, "CA902", "+15125550666", null, null), "caller asked", null, CancellationToken.None)).Accepted);
    }

    private ICallControl Control() => _app.Services.GetRequiredService<ICallControl>();
}
