using System.Net;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Live;

/// <summary><c>WS /voice/browser</c>: the web app's test-call page, signed in with <c>access_token</c>, typing instead of talking.</summary>
public sealed class BrowserTestCallTests
{
    [Fact]
    public async Task Typed_turns_get_agent_audio_and_transcripts_back_and_the_call_is_recorded_for_the_user()
    {
        await using var app = new VoiceAppFactory { Tts = new ToneTextToSpeech(msPerWord: 10) };
        await VoiceListings.SeedAsync(app);
        var user = await app.CreateUserAsync(UserRole.Agent);
        var token = await app.AccessTokenAsync(user);

        var browser = new SimulatedCall();
        await using (browser)
        {
            await browser.ConnectAsync(new Uri(app.WebSocketUri(MediaStreamEndpoint.BrowserPath) + "?access_token=" + Uri.EscapeDataString(token)));
            await browser.StartAsync(0, "");
            await browser.WaitForAgentToFinishAsync();
            var afterGreeting = browser.Media.Count;

            await browser.SendTextAsync("I want to sell my house in Dallas.");
            await browser.WaitForAgentToFinishAsync(sinceMediaCount: afterGreeting);
            await browser.WaitUntilAsync(() => browser.Transcripts.Any(t => t.StartsWith("agent: ", StringComparison.Ordinal) && t.Contains("valuation", StringComparison.Ordinal)));
            Assert.True(browser.Media.Count > afterGreeting, "the reply was spoken, not only written");
            Assert.Contains("caller: I want to sell my house in Dallas.", browser.Transcripts);
            await browser.StopAsync();
            await browser.WaitUntilAsync(() => browser.CloseStatus is not null);
            // The socket closes first (the caller is gone); the final status follows once the turns are written.
            var callId = await app.WithDbAsync(db => db.Calls.Select(c => c.Id).SingleAsync());
            await browser.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }

        var call = await app.WithDbAsync(db => Task.FromResult(db.Calls.Single()));
        Assert.Equal(("browser", user.Id, CallDirection.Inbound, CallStatus.Completed), (call.FromNumber, call.AgentId, call.Direction, call.Status));
        Assert.StartsWith("BR", call.CallSid);
        Assert.NotNull(call.EndedAt);
        var turns = (await app.CallRowAsync(call.Id)).Turns;
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], turns.Select(t => t.Speaker));
        Assert.Equal("I want to sell my house in Dallas.", turns[1].Text);
        Assert.Contains("valuation", turns[2].Text);
    }

    [Fact]
    public async Task A_test_call_is_flagged_and_makes_no_lead_while_a_phone_call_still_finds_its_lead_by_number()
    {
        await using var app = new VoiceAppFactory
        {
            Stt = new ScriptedSpeechToText("I want to sell my condo in Dallas. What could it be worth?"),
            Tts = new ToneTextToSpeech(msPerWord: 10),
        };
        await VoiceListings.SeedAsync(app);
        var user = await app.CreateUserAsync(UserRole.Agent);
        var token = await app.AccessTokenAsync(user);
        var now = DateTimeOffset.UtcNow;
        // A lead written by a test call of an older version, and a real caller's lead: a test call touches neither.
        var (legacy, known) = await app.WithDbAsync(async db =>
        {
            var l = new Lead { Name = "Old shared test lead", Phone = "browser", CreatedAt = now, UpdatedAt = now };
            var k = new Lead { Name = "Pat Known", Phone = "+15125550142", Source = LeadSource.Referral, ConsentToCall = true, CreatedAt = now, UpdatedAt = now };
            db.Leads.AddRange(l, k);
            await db.SaveChangesAsync();
            return (l.Id, k.Id);
        });

        // The offline agent calls update_lead on a name and a selling intent: for a test call it saves nothing.
        var first = await BrowserCallAsync(app, token, "My name is Maria Lopez.", "I want to sell my condo in Dallas.");

        var call = await app.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.Id == first));
        Assert.True(call.IsTest);
        Assert.Null(call.LeadId);
        var leads = await app.WithDbAsync(db => db.Leads.AsNoTracking().ToDictionaryAsync(l => l.Id));
        Assert.Equal(2, leads.Count);
        Assert.Equal(("Old shared test lead", (LeadIntent?)null), (leads[legacy].Name, leads[legacy].Intent));
        Assert.Contains("update_lead", (await app.CallRowAsync(first)).Turns.Select(t => t.ToolCallsJson).FirstOrDefault(j => j is not null) ?? "");

        // A phone call keeps today's behaviour: the caller's number finds their lead and update_lead writes into it.
        var (caller, callId) = await app.CallAsync(from: "+15125550142");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("seller-intent"));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        Assert.Equal(known, (await app.CallRowAsync(callId)).LeadId);
        Assert.False((await app.CallRowAsync(callId)).IsTest);
        var after = await app.WithDbAsync(db => db.Leads.AsNoTracking().ToListAsync());
        Assert.Equal(2, after.Count);
        Assert.Equal(("Pat Known", LeadIntent.Sell, LeadSource.Referral), after.Where(l => l.Id == known).Select(l => (l.Name, l.Intent, l.Source)).Single());
    }

    /// <summary>One browser test call: the greeting, then each line typed and answered, then hang up; returns the call id.</summary>
    private static async Task<int> BrowserCallAsync(VoiceAppFactory app, string token, params string[] lines)
    {
        var before = await app.WithDbAsync(db => db.Calls.Select(c => c.Id).ToListAsync());
        await using var browser = new SimulatedCall();
        await browser.ConnectAsync(new Uri(app.WebSocketUri(MediaStreamEndpoint.BrowserPath) + "?access_token=" + Uri.EscapeDataString(token)));
        await browser.StartAsync(0, "");
        await browser.WaitForAgentToFinishAsync();
        foreach (var line in lines)
        {
            var media = browser.Media.Count;
            await browser.SendTextAsync(line);
            await browser.WaitForAgentToFinishAsync(sinceMediaCount: media);
        }
        await browser.StopAsync();
        await browser.WaitUntilAsync(() => browser.CloseStatus is not null);
        var id = await app.WithDbAsync(db => db.Calls.Where(c => !before.Contains(c.Id)).Select(c => c.Id).SingleAsync());
        await browser.WaitUntilAsync(() => app.CallEndedAsync(id));
        return id;
    }

    [Fact]
    public async Task A_test_call_without_a_sign_in_is_refused_with_401_and_writes_nothing()
    {
        await using var app = new VoiceAppFactory();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var response = await http.GetAsync(MediaStreamEndpoint.BrowserPath);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Calls.Count())));
    }
}
