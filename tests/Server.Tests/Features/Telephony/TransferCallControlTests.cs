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

        var result = await Control().TransferAsync(new VoiceCall(1, "CA900", "+15125550444", lead.Id, null), "caller asked", null, CancellationToken.None);

        Assert.Equal(TransferResult.Dialing, result);
        var request = Assert.Single(_twilio.Requests);
        Assert.EndsWith("/Calls/CA900.json", request.Path);
        var dial = XDocument.Parse(request["Twiml"]!).Root!.Element("Dial")!;
        Assert.Equal("+14155550199", dial.Element("Number")!.Value);
        Assert.Equal("https://voice.example.com/twilio/voice/dial-status?call_id=1", (string)dial.Attribute("action")!);
        Assert.Equal(("POST", "true", "20"), ((string)dial.Attribute("method")!, (string)dial.Attribute("answerOnBridge")!, (string)dial.Attribute("timeout")!));
        Assert.Null(dial.Element("Number")!.Attribute("url")); // cold: the person is connected straight away
    }

    [Fact]
    public async Task A_warm_transfer_gives_the_person_a_whisper_url_carrying_the_summary()
    {
        const string whisper = "Maria Lopez & her husband want a 3-bed in Austin; she asked for you.";

        var result = await Control().TransferAsync(new VoiceCall(5, "CA905", "+15125550555", null, null), "caller asked", whisper, CancellationToken.None);

        Assert.True(result.Accepted);
        var number = XDocument.Parse(Assert.Single(_twilio.Requests)["Twiml"]!).Root!.Element("Dial")!.Element("Number")!;
        var url = new Uri((string)number.Attribute("url")!);
        Assert.Equal("https://voice.example.com/twilio/voice/whisper", url.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(("5", whisper), (query["call_id"].ToString(), query["text"].ToString()));
    }

    [Fact]
    public async Task Without_an_agent_the_office_number_is_dialled_and_browser_calls_are_refused()
    {
        Assert.True((await Control().TransferAsync(new VoiceCall(2, "CA901", "+15125550555", null, null), "dtmf 0", null, CancellationToken.None)).Accepted);
        var browser = await Control().TransferAsync(new VoiceCall(3, "BR123", "browser", null, null), "dtmf 0", null, CancellationToken.None);

        Assert.Equal(TransferResult.Refused("not a phone call"), browser);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("+15125550100", XDocument.Parse(request["Twiml"]!).Root!.Element("Dial")!.Value);
    }

    [Fact]
    public async Task A_twilio_refusal_is_a_refused_result_with_twilios_reason()
    {
        _twilio.Failure = (404, 20404, "The requested resource was not found");

        var result = await Control().TransferAsync(new VoiceCall(4, "CA902", "+15125550666", null, null), "caller asked", null, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Contains("20404", result.FailureReason);
    }

    [Fact]
    public async Task Without_twilio_credentials_or_any_number_the_transfer_is_refused_and_nothing_is_sent()
    {
        await using var unconfigured = await AppFactory.CreateAsync(Db.Sqlite, new() { ["Voice:OfficePhone"] = "+15125550100" });
        var noTwilio = await unconfigured.Services.GetRequiredService<ICallControl>()
            .TransferAsync(new VoiceCall(6, "CA906", "+15125550777", null, null), "caller asked", null, CancellationToken.None);
        await using var noOffice = await AppFactory.CreateAsync(Db.Sqlite, new()
        {
            ["TWILIO_ACCOUNT_SID"] = FakeTwilioRestServer.AccountSid, ["TWILIO_AUTH_TOKEN"] = FakeTwilioRestServer.AuthToken,
            ["TWILIO_API_URL"] = _twilio.BaseUrl, ["PUBLIC_BASE_URL"] = TwilioTestClient.PublicBaseUrl, ["Voice:OfficePhone"] = "",
        });
        var noNumber = await noOffice.Services.GetRequiredService<ICallControl>()
            .TransferAsync(new VoiceCall(7, "CA907", "+15125550778", null, null), "caller asked", null, CancellationToken.None);

        Assert.Equal((false, false), (noTwilio.Accepted, noNumber.Accepted));
        Assert.Contains("not configured", noTwilio.FailureReason);
        Assert.Contains("no phone number", noNumber.FailureReason);
        Assert.Empty(_twilio.Requests);
    }

    private ICallControl Control() => _app.Services.GetRequiredService<ICallControl>();
}
