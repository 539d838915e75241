using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// How calls end and are handed over, end to end over a real media stream: end and transfer are frames carried out
/// at the output end, their results come back to the session, and the caller always hears what happens.
/// </summary>
public sealed class CallControlTests
{
    private static readonly VoiceOptions Defaults = new();

    private static VoiceAppFactory App(ScriptChat chat, params string[] lines) =>
        new() { Stt = new ScriptedSpeechToText(lines), Tts = new ToneTextToSpeech(msPerWord: 10), Chat = chat };

    [Fact]
    public async Task A_model_that_ends_the_call_without_a_word_still_says_a_closing_line_before_hanging_up()
    {
        await using var app = App(new ScriptChat(), "Sorry, wrong number.");
        var (caller, callId) = await app.CallAsync();
        int before;
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            before = caller.Media.Count;
            try
            {
                await caller.SayAsync(AudioFixtures.Load("goodbye"), speed: 4);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
                // The agent hung up while the caller's trailing silence was still being sent (a reset surfaces as a
                // cancelled send).
            }
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
            Assert.True(caller.Media.Count > before, "the call hung up in silence");
        }
        var call = await app.CallRowAsync(callId);
        var last = call.Turns[^1];
        Assert.Equal((Speaker.Agent, Defaults.ClosingLine), (last.Speaker, last.Text));
        Assert.Equal(CallStatus.Completed, call.Status);
    }

    [Fact]
    public async Task A_transfer_twilio_refuses_is_told_to_the_caller_who_leaves_a_message_and_the_outcome_says_so()
    {
        const string from = "+15125550177";
        await using var app = App(new ScriptChat(), "Can I talk to a person?", "Please take a message.");
        app.CallControl.RefuseWith = "busy";
        var (caller, callId) = await app.CallAsync(from);
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("ask-human"), speed: 4);
            // Recorded once played out: the caller has heard it.
            await caller.WaitUntilAsync(() => HasTurnAsync(app, callId, Defaults.TransferFailedLine));
            await caller.SayAsync(AudioFixtures.Load("buyer-intent"), speed: 4);
            await caller.WaitUntilAsync(() => HasTurnAsync(app, callId, ScriptChat.MessageSaved));
            Assert.False(await app.CallEndedAsync(callId));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var call = await app.CallRowAsync(callId);
        Assert.Equal((CallStatus.Completed, CallOutcome.TransferFailed), (call.Status, call.Outcome));
        Assert.Single(app.CallControl.Transfers);
        var notes = await app.WithDbAsync(db => db.Leads.Where(l => l.Phone == from).Select(l => l.Notes).SingleAsync());
        Assert.Contains("Callback requested (call back: after 5 pm): " + ScriptChat.Message, notes);
        Assert.Equal(call.LeadId, await app.WithDbAsync(db => db.Leads.Where(l => l.Phone == from).Select(l => (int?)l.Id).SingleAsync()));
    }

    [Fact]
    public async Task A_warm_transfer_passes_the_agents_one_sentence_summary_as_the_whisper()
    {
        await using var app = App(new ScriptChat(), "Can I talk to a person?");
        app.Settings["Voice:WarmTransfer"] = "true";
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("ask-human"), speed: 4);
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        Assert.Equal(ScriptChat.Summary, Assert.Single(app.CallControl.Whispers));
        Assert.Equal(CallOutcome.Transferred, (await app.CallRowAsync(callId)).Outcome);
    }

    [Fact]
    public async Task A_stream_resumed_after_a_failed_dial_carries_on_the_call_with_its_earlier_turns()
    {
        var chat = new ScriptChat();
        await using var app = App(chat, "Can I talk to a person?", "I want to buy a house.");
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("ask-human"), speed: 4);
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        Assert.Equal(CallOutcome.Transferred, (await app.CallRowAsync(callId)).Outcome);
        var earlierTurns = (await app.CallRowAsync(callId)).Turns.Count;

        // What the dial-status webhook does when nobody answered: the call runs again, on a new stream token.
        var token = StreamTokens.Create();
        await app.WithDbAsync(db => db.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, CallStatus.InProgress).SetProperty(c => c.EndedAt, (DateTimeOffset?)null)
            .SetProperty(c => c.StreamStartedAt, (DateTimeOffset?)null).SetProperty(c => c.StreamTokenHash, StreamTokens.Hash(token))
            .SetProperty(c => c.Outcome, CallOutcome.TransferFailed)));
        await using (var again = new SimulatedCall())
        {
            await again.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
            await again.StartAsync(callId, token, parameters: new Dictionary<string, string>
            {
                [CallSession.ResumeParameter] = CallSession.ResumeAfterFailedTransfer, ["dial_status"] = "no-answer",
            });
            await again.WaitUntilAsync(() => HasTurnAsync(app, callId, Defaults.TransferResumeLine));
            await again.SayAsync(AudioFixtures.Load("buyer-intent"), speed: 4);
            await again.WaitUntilAsync(() => HasTurnAsync(app, callId, ScriptChat.Reply));
            await again.StopAsync();
            await again.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var call = await app.CallRowAsync(callId);
        Assert.Equal((CallStatus.Completed, CallOutcome.TransferFailed), (call.Status, call.Outcome));
        Assert.Equal(Enumerable.Range(1, call.Turns.Count), call.Turns.Select(t => t.Sequence));
        Assert.True(call.Turns.Count > earlierTurns + 1);
        // The agent's request after the resume carried the conversation before it.
        var resumedRequest = chat.Requests.Last(r => r.Any(m => m.Text == "I want to buy a house."));
        Assert.Contains(resumedRequest, m => m.Role == ChatRole.User && m.Text == "Can I talk to a person?");
    }

    [Fact]
    public async Task Caller_and_agent_turn_offsets_are_on_the_calls_one_clock()
    {
        await using var app = App(new ScriptChat(), "I want to buy a house.");
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            // Twilio's media timestamps start with the caller's first audio, seconds after the call's clock started.
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("buyer-intent"));
            await caller.WaitUntilAsync(() => HasTurnAsync(app, callId, ScriptChat.Reply));
        }
        var turns = (await app.CallRowAsync(callId)).Turns;
        var (greeting, said, reply) = (turns[0], turns[1], turns[2]);
        Assert.Equal((Speaker.Agent, Speaker.Caller, Speaker.Agent), (greeting.Speaker, said.Speaker, reply.Speaker));
        Assert.True(said.StartMs >= greeting.EndMs, $"caller turn at {said.StartMs} ms starts before the greeting ended at {greeting.EndMs} ms");
        Assert.True(said.EndMs <= reply.StartMs, $"caller turn ends at {said.EndMs} ms, after the reply started at {reply.StartMs} ms");
    }

    [Fact]
    public void Offsets_on_the_callers_audio_timeline_map_onto_the_call_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var clock = new CallClock(time);
        time.Advance(TimeSpan.FromSeconds(3));
        clock.AudioReceived(TimeSpan.Zero);
        time.Advance(TimeSpan.FromSeconds(1));
        clock.AudioReceived(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(3.5), clock.FromAudio(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.FromSeconds(1), clock.NowOnAudio);
    }

    private static Task<bool> HasTurnAsync(VoiceAppFactory app, int callId, string text) =>
        app.WithDbAsync(db => db.CallTurns.AnyAsync(t => t.CallId == callId && t.Text == text));

    /// <summary>
    /// A model by keyword: "wrong number" ends the call without a word (as GPT-4.1 does), "person" asks for a
    /// transfer with a summary, "message" leaves a callback message; anything else gets a one-line reply.
    /// </summary>
    private sealed class ScriptChat : IChatClient
    {
        public const string Summary = "Dana wants to see the Austin house this week.";
        public const string Message = "Please call me back about the Austin house.";
        public const string MessageSaved = "Done, someone will call you back.";
        public const string Reply = "Sure, I can help with that.";

        public ConcurrentQueue<ChatMessage[]> Requests { get; } = new();

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var history = messages.ToArray();
            Requests.Enqueue(history);
            var last = history[^1];
            var said = last.Role == ChatRole.User ? last.Text : "";
            if (said.Contains("wrong number", StringComparison.OrdinalIgnoreCase))
                yield return Call(AgentTools.EndCall, new() { ["reason"] = "wrong number" });
            else if (said.Contains("person", StringComparison.OrdinalIgnoreCase))
                yield return Call(AgentTools.TransferToHuman, new() { ["reason"] = "asked for a person", ["summary"] = Summary });
            else if (said.Contains("message", StringComparison.OrdinalIgnoreCase))
                yield return Call(AgentTools.TakeMessage, new() { ["message"] = Message, ["callback_time"] = "after 5 pm" });
            else if (last.Role == ChatRole.Tool)
                yield return new ChatResponseUpdate(ChatRole.Assistant, MessageSaved);
            else
                yield return new ChatResponseUpdate(ChatRole.Assistant, Reply);
        }

        private static ChatResponseUpdate Call(string tool, Dictionary<string, object?> arguments) =>
            new(ChatRole.Assistant, [new FunctionCallContent("c" + Guid.NewGuid().ToString("N")[..6], tool, arguments)]);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
