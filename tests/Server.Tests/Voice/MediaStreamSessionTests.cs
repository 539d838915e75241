using System.Net.WebSockets;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Voice.Fakes;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Tests.Voice;

/// <summary>Admission, robustness and finalisation of the media stream session.</summary>
public sealed class MediaStreamSessionTests
{
    private static VoiceAppFactory App(ScriptedSpeechToText? stt = null, IChatClient? chat = null) =>
        new() { Stt = stt ?? new ScriptedSpeechToText(), Tts = new ToneTextToSpeech(msPerWord: 10), Chat = chat };

    private static async Task<FakeTwilioCaller> ConnectAsync(VoiceAppFactory app)
    {
        var caller = new FakeTwilioCaller();
        await caller.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
        return caller;
    }

    [Fact]
    public async Task A_dropped_socket_still_leaves_a_finished_call_row_with_every_turn()
    {
        var stt = new ScriptedSpeechToText("I'm looking to buy in Austin.");
        await using var app = App(stt);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            caller.Abort();
            await caller.WaitUntilAsync(() => app.Calls.Calls[callId].EndedAt is not null);
        }
        var call = app.Calls.Calls[callId];
        Assert.Equal("completed", call.Status);
        Assert.NotNull(call.DurationSeconds);
        Assert.Equal([TurnSpeaker.Agent, TurnSpeaker.Caller, TurnSpeaker.Agent], call.Turns.Select(t => t.Speaker));
        Assert.Equal("I'm looking to buy in Austin.", call.Turns.ElementAt(1).Text);
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
            await caller.WaitUntilAsync(() => app.Calls.Calls[callId].EndedAt is not null);
        }
        Assert.Equal("transferred", app.Calls.Calls[callId].Outcome);
        Assert.Equal(callId, Assert.Single(app.CallControl.Transfers).CallId);
    }

    [Fact]
    public async Task Media_before_start_closes_the_socket_and_leaves_the_call_untouched()
    {
        await using var app = App();
        var (callId, _) = app.Calls.RegisterCall("CA-early", "+15125550100");
        await using var caller = await ConnectAsync(app);
        await caller.SendAudioAsync(AudioFixtures.Silence(20), speed: 0);
        await caller.WaitUntilAsync(() => caller.CloseStatus is not null);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, caller.CloseStatus);
        Assert.Null(app.Calls.Calls[callId].StreamStartedAt);
        Assert.Null(app.Calls.Calls[callId].EndedAt);
    }

    [Theory]
    [InlineData("wrong-token", false, WebSocketCloseStatus.PolicyViolation)]
    [InlineData(null, true, WebSocketCloseStatus.PolicyViolation)]
    public async Task Streams_with_a_bad_token_or_for_an_already_streaming_call_are_refused(string? token, bool reuse, WebSocketCloseStatus expected)
    {
        await using var app = App();
        var (callId, realToken) = app.Calls.RegisterCall("CA-x", "+15125550100");
        FakeTwilioCaller? first = null;
        if (reuse)
        {
            first = await ConnectAsync(app);
            await first.StartAsync(callId, realToken);
            await first.WaitForAgentToFinishAsync();
        }
        await using var second = await ConnectAsync(app);
        await second.StartAsync(callId, token ?? realToken);
        await second.WaitUntilAsync(() => second.CloseStatus is not null);
        Assert.Equal(expected, second.CloseStatus);
        Assert.Empty(second.Media);
        if (first is not null) await first.DisposeAsync();
    }

    [Fact]
    public async Task A_wrong_codec_closes_cleanly_without_claiming_the_call()
    {
        await using var app = App();
        var (callId, token) = app.Calls.RegisterCall("CA-codec", "+15125550100");
        await using var caller = await ConnectAsync(app);
        await caller.StartAsync(callId, token, encoding: "audio/l16", sampleRate: 16000);
        await caller.WaitUntilAsync(() => caller.CloseStatus is not null);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, caller.CloseStatus);
        Assert.Null(app.Calls.Calls[callId].StreamStartedAt);
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
            await caller.WaitUntilAsync(() => app.Calls.Calls[callId].EndedAt is not null);
        }
        Assert.Equal("transferred", app.Calls.Calls[callId].Outcome);
        Assert.Contains(app.Calls.Calls[callId].Turns, t => t.Text.Contains("Connecting you"));
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
    public async Task An_llm_failure_apologises_offers_a_human_and_transfers_when_the_caller_accepts()
    {
        var stt = new ScriptedSpeechToText("I want to buy a house.", "Yes, please.");
        await using var app = App(stt, new BrokenChat());
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.SayAsync(AudioFixtures.Load("backchannel"), speed: 4);
            await caller.WaitUntilAsync(() => app.Calls.Calls[callId].EndedAt is not null);
        }
        var call = app.Calls.Calls[callId];
        Assert.Contains("llm", call.FailureReason);
        Assert.Equal("transferred", call.Outcome);
        Assert.Contains(call.Turns, t => t.Speaker == TurnSpeaker.Agent && t.Text.Contains("connect you with one of our agents"));
        Assert.Single(app.CallControl.Transfers);
    }
}
