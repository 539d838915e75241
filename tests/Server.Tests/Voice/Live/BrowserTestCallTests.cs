using System.Net;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Voice.Fakes;

namespace EstateVoice.Server.Tests.Voice.Live;

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

        var browser = new FakeTwilioCaller();
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
    public async Task A_test_call_without_a_sign_in_is_refused_with_401_and_writes_nothing()
    {
        await using var app = new VoiceAppFactory();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var response = await http.GetAsync(MediaStreamEndpoint.BrowserPath);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Calls.Count())));
    }
}
