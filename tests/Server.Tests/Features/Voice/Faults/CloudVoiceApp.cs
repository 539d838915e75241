using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Voice.Faults;

/// <summary>
/// The real server with its cloud providers — Deepgram live STT and Aura TTS, Azure OpenAI — pointed at the fakes
/// that speak their wire protocols on loopback, so faults are played where they happen in production: on sockets and
/// HTTP responses. The product's fault timeouts are scaled down (they are 1-2 s by default; the fakes stall for 10 s).
/// </summary>
public sealed class CloudVoiceApp : IAsyncDisposable
{
    /// <summary>The caller never waits longer than this for the agent after they stop talking.</summary>
    public const double MaxDeadAirMs = 3000;

    private CloudVoiceApp(FakeDeepgramServer deepgram, FakeAzureOpenAIServer llm, VoiceAppFactory app) =>
        (Deepgram, Llm, App) = (deepgram, llm, app);

    public FakeDeepgramServer Deepgram { get; }
    public FakeAzureOpenAIServer Llm { get; }
    public VoiceAppFactory App { get; }

    /// <param name="heard">What the recogniser hears for each new caller utterance, in order.</param>
    public static async Task<CloudVoiceApp> StartAsync(string[] heard, Action<Dictionary<string, string?>>? configure = null)
    {
        var deepgram = await FakeDeepgramServer.StartAsync(heard);
        var llm = await FakeAzureOpenAIServer.StartAsync();
        var app = new VoiceAppFactory { UseConfiguredSpeechToText = true };
        var settings = app.Settings;
        settings["DEEPGRAM_API_KEY"] = FakeDeepgramServer.ApiKey;
        settings["DEEPGRAM_API_URL"] = deepgram.BaseUrl;
        settings["AZURE_OPENAI_ENDPOINT"] = llm.BaseUrl;
        settings["AZURE_OPENAI_API_KEY"] = FakeAzureOpenAIServer.ApiKey;
        settings["AZURE_OPENAI_DEPLOYMENT"] = FakeAzureOpenAIServer.Deployment;
        // The scripted model answers the voice loop only: a post-call analysis must not take a scripted reply.
        settings["ANALYSIS_PROVIDER"] = "offline";
        settings["Deepgram:ConnectTimeout"] = "00:00:00.5";
        settings["Voice:LlmFirstTokenTimeoutMs"] = "700";
        settings["Voice:LlmStallTimeoutMs"] = "700";
        settings["Voice:LlmRetryFillerAfterMs"] = "500";
        settings["Voice:TtsFirstByteTimeoutMs"] = "500";
        settings["Voice:TtsStallTimeoutMs"] = "500";
        settings["Voice:SttOutageNoticeMs"] = "1000";
        settings["Voice:SttOutageGiveUpMs"] = "4000";
        // The fake model answers its scripted replies in request order; a speculative request at the caller's pause
        // would take the one meant for the turn (speculation has its own tests: SpeculativeReplyTests).
        settings["Voice:SpeculativeReplies"] = "false";
        configure?.Invoke(settings);
        _ = app.BaseUri; // starts the server; its fixed phrases are synthesised (through the fake) before it listens
        return new CloudVoiceApp(deepgram, llm, app);
    }

    /// <summary>A call whose greeting has played, with the caller's line streaming.</summary>
    public async Task<(SimulatedCall Caller, PhoneLine Line, int CallId)> CallAsync()
    {
        var (caller, callId) = await App.CallAsync();
        var line = new PhoneLine(caller);
        await caller.WaitForAgentToFinishAsync();
        return (caller, line, callId);
    }

    public Task WaitForAgentTurnAsync(SimulatedCall caller, int callId, string containing, int timeoutMs = 15000) =>
        caller.WaitUntilAsync(() => App.WithDbAsync(db =>
            db.CallTurns.AnyAsync(t => t.CallId == callId && t.Speaker == Speaker.Agent && t.Text.Contains(containing))), timeoutMs);

    /// <summary>Hangs up like Twilio does (a stop message) and returns the finalised row with its turns.</summary>
    public async Task<Call> HangUpAsync(SimulatedCall caller, PhoneLine line, int callId)
    {
        // The line goes quiet first: the stop must carry the last sequence number or the server skips it as out of order.
        await line.DisposeAsync();
        if (caller.State == System.Net.WebSockets.WebSocketState.Open) await caller.StopAsync();
        await caller.WaitUntilAsync(() => App.CallEndedAsync(callId));
        return await App.CallRowAsync(callId);
    }

    /// <summary>
    /// The longest the caller heard nothing from the agent between <paramref name="speechEnd"/> and
    /// <paramref name="until"/>: the wait for the first agent audio, and any gap inside what followed.
    /// </summary>
    public static double LongestDeadAirMs(SimulatedCall caller, double speechEnd, double until)
    {
        var longest = 0.0;
        var last = speechEnd;
        foreach (var at in caller.Media.Select(m => m.AtMs).Where(t => t > speechEnd && t <= until).Order())
        {
            longest = Math.Max(longest, at - last);
            last = at;
        }
        return last == speechEnd ? double.PositiveInfinity : longest;
    }

    /// <summary>Asserts the caller heard the agent within <see cref="MaxDeadAirMs"/> of their end of speech (and no longer gap after it), and logs the figure.</summary>
    public static void AssertNoLongDeadAir(SimulatedCall caller, double speechEnd, Xunit.Abstractions.ITestOutputHelper output)
    {
        var deadAir = LongestDeadAirMs(caller, speechEnd, caller.NowMs);
        output.WriteLine($"longest dead air after the caller stopped: {deadAir:F0} ms");
        Assert.InRange(deadAir, 0, MaxDeadAirMs);
    }

    public static string[] AgentLines(Call call) => call.Turns.Where(t => t.Speaker == Speaker.Agent).Select(t => t.Text).ToArray();

    public static string[] CallerLines(Call call) => call.Turns.Where(t => t.Speaker == Speaker.Caller).Select(t => t.Text).ToArray();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Llm.DisposeAsync();
        await Deepgram.DisposeAsync();
    }
}
