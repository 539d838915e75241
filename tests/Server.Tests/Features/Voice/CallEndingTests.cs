using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// Every call ends: the caller's side of real calls (Twilio media stream and browser test call, over real WebSockets)
/// closes — cleanly or by dropping the connection — at moments spread over the call, and every call row must reach a
/// final status within seconds, with the turns heard so far, and without an error in the log.
/// </summary>
public sealed class CallEndingTests
{
    public enum Moment
    {
        GreetingStart, GreetingMiddle, ReplyPending, MidReply, ToolCall, ToolFiller, BargeInHold, TransferSpeaking,
        TransferRedirect, BetweenTurns,
    }

    public enum Transport { Twilio, Browser }

    private const int MsPerWord = 60;
    private static readonly TimeSpan FinalWithin = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(Transport.Twilio)]
    [InlineData(Transport.Browser)]
    public async Task A_call_closed_at_any_moment_ends_final_with_the_turns_heard_and_no_error(Transport transport)
    {
        var tools = new SlowToolStore();
        await using var app = new VoiceAppFactory
        {
            Tts = new ToneTextToSpeech(msPerWord: MsPerWord),
            Chat = new MomentChat(),
            ConfigureServices = services =>
            {
                services.RemoveAll<IAgentDataStore>();
                services.AddSingleton<IAgentDataStore>(tools);
            },
        };
        app.CallControl.Delay = TimeSpan.FromMinutes(1);
        var logs = CapturedLogs.AttachTo(app.Services);

        // Ten moments, each closed cleanly and dropped, all calls at once on one server.
        var runs = Enum.GetValues<Moment>().SelectMany(m => new[] { (m, abort: false), (m, abort: true) })
            .Select((c, i) => RunAsync(app, tools, transport, c.m, c.abort, key: i)).ToList();
        var results = await Task.WhenAll(runs);

        foreach (var r in results)
        {
            var call = await app.CallRowAsync(r.CallId);
            var what = $"{r.Moment} ({(r.Abort ? "dropped" : "closed")})";
            Assert.True(call.EndedAt is not null, $"{what}: still {call.Status}");
            Assert.True(r.EndedAfter <= FinalWithin, $"{what}: final after {r.EndedAfter.TotalSeconds:F1} s");
            // A caller hanging up is a normal end of the call, not a failure.
            Assert.Equal((CallStatus.Completed, (string?)null), (call.Status, call.FailureReason));
            Assert.NotNull(call.Outcome);
            Assert.Equal(Enumerable.Range(1, call.Turns.Count), call.Turns.Select(t => t.Sequence));
            AssertTurnsHeard(r.Moment, r.Key, call, what);
        }
        Assert.Empty(logs.Errors);
    }

    private static void AssertTurnsHeard(Moment moment, int key, Call call, string what)
    {
        var turns = call.Turns;
        if (moment is Moment.GreetingStart or Moment.GreetingMiddle)
        {
            Assert.True(turns.All(t => t.Speaker == Speaker.Agent), what);
            return;
        }
        // The greeting was heard in full, then the caller's line.
        Assert.True(turns.Count >= 2, $"{what}: {turns.Count} turns");
        Assert.Equal((Speaker.Agent, false), (turns[0].Speaker, turns[0].Interrupted));
        Assert.Equal((Speaker.Caller, MomentChat.Line(moment, key)), (turns[1].Speaker, turns[1].Text));
        switch (moment)
        {
            case Moment.MidReply or Moment.BargeInHold:
                // Cut off: saved as interrupted with what the caller heard, a start of the whole reply.
                var reply = Assert.Single(turns, t => t.Sequence == 3);
                Assert.Equal((Speaker.Agent, true), (reply.Speaker, reply.Interrupted));
                Assert.StartsWith(reply.Text, MomentChat.LongReply, StringComparison.Ordinal);
                Assert.NotEqual(MomentChat.LongReply, reply.Text);
                break;
            case Moment.BetweenTurns:
                Assert.Equal((Speaker.Agent, false, MomentChat.LongReply), (turns[2].Speaker, turns[2].Interrupted, turns[2].Text));
                break;
            case Moment.TransferRedirect:
                Assert.Equal(CallOutcome.Transferred, call.Outcome);
                Assert.Contains(turns, t => t.Speaker == Speaker.Agent && t.Text.Contains("connect you", StringComparison.Ordinal));
                break;
        }
    }

    private sealed record Result(Moment Moment, bool Abort, int Key, int CallId, TimeSpan EndedAfter);

    private static async Task<Result> RunAsync(VoiceAppFactory app, SlowToolStore tools, Transport transport, Moment moment, bool abort, int key)
    {
        var caller = new SimulatedCall();
        int callId;
        if (transport == Transport.Twilio)
        {
            var (id, token) = await app.RegisterCallAsync(from: $"+1512555{key:D4}");
            await caller.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
            await caller.StartAsync(id, token);
            callId = id;
        }
        else
        {
            // One user per test call: the row is found by its user.
            var user = await app.CreateUserAsync(UserRole.Agent);
            var accessToken = await app.AccessTokenAsync(user);
            await caller.ConnectAsync(new Uri(app.WebSocketUri(MediaStreamEndpoint.BrowserPath) + "?access_token=" + Uri.EscapeDataString(accessToken)));
            await caller.StartAsync(0, "");
            callId = await app.WithDbAsync(db => db.Calls.Where(c => c.AgentId == user.Id).Select(c => c.Id).SingleAsync());
        }

        await ReachAsync(caller, tools, app, moment, key, callId);
        var closedAt = caller.NowMs;
        if (abort) caller.Abort();
        await caller.DisposeAsync(); // a clean close handshake, unless dropped
        await caller.WaitUntilAsync(() => app.CallEndedAsync(callId), timeoutMs: 30_000);
        return new Result(moment, abort, key, callId, TimeSpan.FromMilliseconds(caller.NowMs - closedAt));
    }

    /// <summary>Drives the call up to the moment its caller goes away.</summary>
    private static async Task ReachAsync(SimulatedCall caller, SlowToolStore tools, VoiceAppFactory app, Moment moment, int key, int callId)
    {
        switch (moment)
        {
            case Moment.GreetingStart:
                await caller.WaitUntilAsync(() => !caller.Media.IsEmpty);
                return;
            case Moment.GreetingMiddle:
                await caller.WaitUntilAsync(() => caller.Media.Count >= 15);
                return;
        }
        await caller.WaitForAgentToFinishAsync(timeoutMs: 30_000);
        var beforeReply = caller.Media.Count;
        await caller.SendTextAsync(MomentChat.Line(moment, key));
        switch (moment)
        {
            case Moment.ReplyPending:
                return;
            case Moment.MidReply:
                await caller.WaitUntilAsync(() => caller.Media.Count >= beforeReply + 40);
                return;
            case Moment.ToolCall:
                await tools.EnteredAsync(MomentChat.Line(moment, key));
                return;
            case Moment.ToolFiller:
                await tools.EnteredAsync(MomentChat.Line(moment, key));
                // The filler ("Let me check that for you.") is playing.
                await caller.WaitUntilAsync(() => caller.Media.Count >= beforeReply + 5, timeoutMs: 20_000);
                return;
            case Moment.BargeInHold:
                await caller.WaitUntilAsync(() => caller.Media.Count >= beforeReply + 40);
                // The caller starts talking over the agent: the reply is paused (clear) and held while it is decided.
                var clears = caller.Clears.Count;
                await caller.SendAudioAsync(AudioFixtures.Tone(120, amplitude: 6000));
                await caller.WaitUntilAsync(() => caller.Clears.Count > clears);
                return;
            case Moment.TransferSpeaking:
                await caller.WaitUntilAsync(() => caller.Media.Count >= beforeReply + 5, timeoutMs: 20_000);
                return;
            case Moment.TransferRedirect:
                // The Twilio redirect is under way (the fake control holds it).
                await caller.WaitUntilAsync(() => { lock (app.CallControl.Transfers) return app.CallControl.Transfers.Any(t => t.CallId == callId); }, 20_000);
                return;
            case Moment.BetweenTurns:
                await caller.WaitForAgentToFinishAsync(timeoutMs: 30_000, sinceMediaCount: beforeReply);
                return;
        }
    }

    /// <summary>
    /// The agent: a long reply of several sentences; for a "tool" line a listing search (which the slow store never
    /// finishes); for a "person" line a transfer. Each line carries the call's key, so parallel calls stay apart.
    /// </summary>
    private sealed class MomentChat : IChatClient
    {
        public const string LongReply =
            "We have several homes that could suit you. The first is a bright house near the park with three bedrooms. " +
            "The second is a quiet condo close to downtown with a view. The third is a townhouse on a calm street nearby. " +
            "All of them are open for showings this week if you like.";

        public static string Line(Moment moment, int key) => moment switch
        {
            Moment.ToolCall or Moment.ToolFiller => $"tool search number {key}",
            Moment.TransferSpeaking or Moment.TransferRedirect => $"person please number {key}",
            _ => $"tell me about homes number {key}",
        };

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var history = messages.ToList();
            var last = history[^1];
            var said = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
            if (last.Role == ChatRole.User && said.StartsWith("tool", StringComparison.Ordinal))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", AgentTools.SearchProperties, new Dictionary<string, object?> { ["city"] = said })]);
                yield break;
            }
            if (last.Role == ChatRole.User && said.StartsWith("person", StringComparison.Ordinal))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c2", AgentTools.TransferToHuman, new Dictionary<string, object?> { ["reason"] = "asked" })]);
                yield break;
            }
            foreach (var word in LongReply.Split(' '))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    /// <summary>The agent's data with a listing search that never returns (until cancelled), and a signal per search.</summary>
    private sealed class SlowToolStore : IAgentDataStore
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _entered = new();

        private TaskCompletionSource Signal(string key) => _entered.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public Task EnteredAsync(string key) => Signal(key).Task.WaitAsync(TimeSpan.FromSeconds(20));

        public async Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery query, CancellationToken cancellationToken)
        {
            Signal(query.City ?? "").TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }

        public Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken) => Task.FromResult<PropertySummary?>(null);
        public Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["Austin"]);
        public Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken) => Task.FromResult<LeadSnapshot?>(null);

        public Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string? phone, LeadUpdate update, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
