using System.Net.WebSockets;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>Admission, robustness and finalisation of the media stream session, against the call rows in the database.</summary>
public sealed class MediaStreamSessionTests
{
    private static VoiceAppFactory App(ScriptedSpeechToText? stt = null, IChatClient? chat = null) =>
        new() { Stt = stt ?? new ScriptedSpeechToText(), Tts = new ToneTextToSpeech(msPerWord: 10), Chat = chat };

    private static Task<VoiceAppFactory> AppAsync(Db db, ScriptedSpeechToText? stt = null) =>
        VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));

    private static async Task<SimulatedCall> ConnectAsync(VoiceAppFactory app)
    {
        var caller = new SimulatedCall();
        await caller.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
        return caller;
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_dropped_socket_still_leaves_a_finished_call_row_with_every_turn(Db db)
    {
        var stt = new ScriptedSpeechToText("I'm looking to buy in Austin.");
        await using var app = await AppAsync(db, stt);
        await VoiceListings.SeedAsync(app);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            caller.Abort();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var call = await app.CallRowAsync(callId);
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.NotNull(call.DurationSeconds);
        Assert.NotNull(call.Outcome);
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], call.Turns.Select(t => t.Speaker));
        Assert.Equal([1, 2, 3], call.Turns.Select(t => t.Sequence));
        Assert.Equal("I'm looking to buy in Austin.", call.Turns[1].Text);
        Assert.NotNull(call.Turns[2].FirstAudioMs);
        Assert.Contains("Caller: I'm looking to buy in Austin.", call.TranscriptText);
    }

    [Fact]
    public async Task Malformed_and_out_of_order_messages_are_skipped_and_the_call_goes_on()
    {
        var stt = new ScriptedSpeechToText("Can I talk to a real person, please?");
        await using var app = App(stt);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.SendRawAsync("not json at all");
            await caller.SendRawAsync("{\"event\":\"media\",\"media\":{\"payload\":\"***not base64***\"}}");
            await caller.SendRawAsync("{\"event\":\"teleport\"}");
            await caller.SendRawAsync("[1,2,3]");
            await caller.SendRawAsync("{\"event\":\"media\",\"sequenceNumber\":\"1\",\"media\":{\"payload\":\"AAAA\"}}");
            await caller.SendRawAsync("{\"event\":\"start\",\"start\":{}}");
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("ask-human"), speed: 4);
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        Assert.Equal(CallOutcome.Transferred, (await app.CallRowAsync(callId)).Outcome);
        Assert.Equal(callId, Assert.Single(app.CallControl.Transfers).CallId);
    }

    [Fact]
    public async Task Media_before_start_closes_the_socket_and_leaves_the_call_untouched()
    {
        await using var app = App();
        var (callId, _) = await app.RegisterCallAsync("+15125550100");
        await using var caller = await ConnectAsync(app);
        await caller.SendAudioAsync(AudioFixtures.Silence(20), speed: 0);
        await caller.WaitUntilAsync(() => caller.CloseStatus is not null);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, caller.CloseStatus);
        var call = await app.CallRowAsync(callId);
        Assert.Null(call.StreamStartedAt);
        Assert.NotNull(call.StreamTokenHash);
        Assert.Null(call.EndedAt);
    }

    public enum BadStream { WrongToken, ReusedToken, UnknownCall, FinishedCall }

    public static IEnumerable<object[]> BadStreams =>
        from db in new[] { Db.Sqlite, Db.Postgres }
        from kind in Enum.GetValues<BadStream>()
        select new object[] { db, kind };

    [Theory, MemberData(nameof(BadStreams))]
    public async Task A_stream_with_a_wrong_reused_or_unknown_token_or_for_a_finished_call_is_refused(Db db, BadStream kind)
    {
        await using var app = await AppAsync(db);
        var (callId, token) = await app.RegisterCallAsync("+15125550100");
        SimulatedCall? first = null;
        if (kind == BadStream.ReusedToken)
        {
            first = await ConnectAsync(app);
            await first.StartAsync(callId, token);
            await first.WaitForAgentToFinishAsync();
        }
        if (kind == BadStream.FinishedCall)
            await app.WithDbAsync(d => d.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CallStatus.Completed).SetProperty(c => c.EndedAt, DateTimeOffset.UtcNow)));
        var before = await app.CallRowAsync(callId);

        await using var second = await ConnectAsync(app);
        var (presentedId, presentedToken) = kind switch
        {
            BadStream.WrongToken => (callId, "wrong-token"),
            BadStream.UnknownCall => (callId + 1000, token),
            _ => (callId, token),
        };
        await second.StartAsync(presentedId, presentedToken);
        await second.WaitUntilAsync(() => second.CloseStatus is not null);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, second.CloseStatus);
        Assert.Empty(second.Media);

        var after = await app.CallRowAsync(callId);
        Assert.Equal((before.Status, before.StreamStartedAt, before.StreamTokenHash, before.EndedAt),
            (after.Status, after.StreamStartedAt, after.StreamTokenHash, after.EndedAt));
        Assert.Equal(1, await app.WithDbAsync(d => d.Calls.CountAsync()));
        if (first is not null) await first.DisposeAsync();
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Two_sockets_racing_with_the_same_token_admit_exactly_one(Db db)
    {
        await using var app = await AppAsync(db);
        var (callId, token) = await app.RegisterCallAsync("+15125550100");
        var callers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectAsync(app)));
        try
        {
            await Task.WhenAll(callers.Select(c => c.StartAsync(callId, token)));
            // Refused sockets are closed at once; the admitted one hears the greeting.
            await callers[0].WaitUntilAsync(() => callers.Count(c => c.CloseStatus is not null) == callers.Length - 1
                                                   && callers.Any(c => !c.Media.IsEmpty));
            var admitted = Assert.Single(callers, c => c.CloseStatus is null);
            Assert.NotEmpty(admitted.Media);
            Assert.All(callers.Where(c => c != admitted), c => Assert.Equal(WebSocketCloseStatus.PolicyViolation, c.CloseStatus));
            var call = await app.CallRowAsync(callId);
            Assert.Equal(CallStatus.InProgress, call.Status);
            Assert.NotNull(call.StreamStartedAt);
            Assert.Null(call.StreamTokenHash);
        }
        finally
        {
            foreach (var c in callers) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_wrong_codec_closes_cleanly_without_claiming_the_call()
    {
        await using var app = App();
        var (callId, token) = await app.RegisterCallAsync("+15125550100");
        await using var caller = await ConnectAsync(app);
        await caller.StartAsync(callId, token, encoding: "audio/l16", sampleRate: 16000);
        await caller.WaitUntilAsync(() => caller.CloseStatus is not null);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, caller.CloseStatus);
        var call = await app.CallRowAsync(callId);
        Assert.Null(call.StreamStartedAt);
        Assert.NotNull(call.StreamTokenHash);
    }

    [Fact]
    public async Task Dtmf_zero_transfers_to_a_human()
    {
        await using var app = App();
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SendDtmfAsync('0');
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var call = await app.CallRowAsync(callId);
        Assert.Equal(CallOutcome.Transferred, call.Outcome);
        Assert.Contains(call.Turns, t => t.Text.Contains("Connecting you"));
    }

    private sealed class BrokenChat : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("503 from the model");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("503 from the model");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public async Task An_llm_failure_asks_the_caller_to_repeat_then_offers_a_human_and_transfers_when_the_caller_accepts()
    {
        var stt = new ScriptedSpeechToText("I want to buy a house.", "I said I want to buy a house.", "Yes, please.");
        await using var app = App(stt, new BrokenChat());
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.SayAsync(AudioFixtures.Load("backchannel"), speed: 4);
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var call = await app.CallRowAsync(callId);
        Assert.Contains("llm", call.FailureReason);
        Assert.Equal(CallOutcome.Transferred, call.Outcome);
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.Contains(call.Turns, t => t.Speaker == Speaker.Agent && t.Text.Contains("didn't catch that"));
        Assert.Contains(call.Turns, t => t.Speaker == Speaker.Agent && t.Text.Contains("connect you with one of our agents"));
        Assert.Single(app.CallControl.Transfers);
    }
}
