using System.Xml.Linq;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>The whole inbound path on one database: signed webhook → TwiML token → media stream → status callback.</summary>
public sealed class TwilioToStreamTests
{
    private const string AuthToken = "twilio-test-auth-token";

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_webhooks_token_admits_one_stream_whose_turns_and_outcome_land_on_the_webhooks_call_row(Db db)
    {
        var stt = new ScriptedSpeechToText("I want to sell my house in Dallas.");
        await using var app = await VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));
        app.Settings["TWILIO_AUTH_TOKEN"] = AuthToken;
        app.Settings["PUBLIC_BASE_URL"] = PublicBaseUrl;
        await VoiceListings.SeedAsync(app);
        using var http = new HttpClient { BaseAddress = app.BaseUri };

        var twiml = XDocument.Parse(await (await PostSignedAsync(http, "/twilio/webhook", VoiceRequest("CA-e2e", from: "+15125550777"), AuthToken)).Content.ReadAsStringAsync());
        var parameters = twiml.Root!.Element("Connect")!.Element("Stream")!.Elements("Parameter")
            .ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        var callId = int.Parse(parameters["call_id"]);

        var caller = new SimulatedCall();
        await using (caller)
        {
            await caller.ConnectAsync(app.WebSocketUri("/twilio/media-stream"));
            await caller.StartAsync(callId, parameters["stream_token"]);
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("seller-intent"));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        (await PostSignedAsync(http, "/twilio/status", StatusCallback("CA-e2e", "completed", duration: 9, sequence: 3), AuthToken)).EnsureSuccessStatusCode();

        var call = await app.CallRowAsync(callId);
        Assert.Equal(1, await app.WithDbAsync(d => d.Calls.CountAsync()));
        Assert.Equal(("CA-e2e", CallStatus.Completed, CallOutcome.InformationProvided), (call.CallSid, call.Status, call.Outcome));
        Assert.Null(call.StreamTokenHash);
        Assert.NotNull(call.StreamStartedAt);
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], call.Turns.Select(t => t.Speaker));
        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Phone == "+15125550777"));
        Assert.Equal(lead.Id, call.LeadId);
        Assert.Equal(LeadIntent.Sell, lead.Intent);
    }
}
