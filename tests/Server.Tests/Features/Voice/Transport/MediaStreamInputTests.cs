using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Transport;

/// <summary>
/// The input transport over a real WebSocket (a loopback TCP connection): the stream is admitted on <c>start</c>,
/// its messages become frames at the head of the pipeline, protocol violations close the socket, and when the
/// caller's audio stops, time still reaches the barge-in policy (a fake clock drives the gap ticks).
/// </summary>
public sealed class MediaStreamInputTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentQueue<string> _seen = new();
    private TcpClient? _clientTcp;
    private TcpClient? _serverTcp;
    private WebSocket _server = null!;
    private WebSocket _client = null!;
    private MediaStreamInput _input = null!;
    private VoicePipeline? _pipeline;
    private StreamStart? _admitted;
    private int _sequence;

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        var connect = _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await listener.AcceptTcpClientAsync();
        await connect;
        _server = WebSocket.CreateFromStream(_serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        _client = WebSocket.CreateFromStream(_clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        _input = new MediaStreamInput(_server, new BrowserFrameSerializer(), _time, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        await _lifetime.CancelAsync();
        if (_pipeline is not null) await _pipeline.DisposeAsync();
        else await _input.DisposeAsync();
        _client.Dispose();
        _server.Dispose();
        _clientTcp?.Dispose();
        _serverTcp?.Dispose();
        _lifetime.Dispose();
    }

    /// <summary>Records what the input sends (copying what a reused frame carries) and what leaves the stages after it.</summary>
    private sealed class Recorder(ConcurrentQueue<string> seen, bool passOn) : FrameProcessor
    {
        protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
        {
            // The tap after the input records the audio and the gaps, the end of the pipeline the rest.
            if (passOn != (frame is InputAudioFrame or CallerAudioGapFrame))
            {
                if (passOn) await PushFrameAsync(frame, direction);
                return;
            }
            seen.Enqueue(frame switch
            {
                InputAudioFrame a => $"audio {a.Offset.TotalMilliseconds} {a.Mulaw.Length} {a.Mulaw.Span[0]}",
                MarkPlayedFrame m => "mark " + m.Name,
                DtmfFrame d => "dtmf " + d.Digit,
                TranscriptionFrame t => $"words {t.Text} {t.IsFinal}",
                CallerAudioGapFrame g => $"gap {g.SilentFor.TotalMilliseconds}",
                _ => frame.GetType().Name,
            });
            if (passOn) await PushFrameAsync(frame, direction);
        }
    }

    private Func<StreamStart, CancellationToken, ValueTask<CallClock?>> Admit(params FrameProcessor[] stages) => async (start, _) =>
    {
        _admitted = start;
        _pipeline = new VoicePipeline([_input, new Recorder(_seen, passOn: true), .. stages, new Recorder(_seen, passOn: false)]);
        await _pipeline.StartAsync(_lifetime.Token);
        return new CallClock(_time);
    };

    private Task SendAsync(string json) => _client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private Task SendStartAsync() => SendAsync("{\"event\":\"start\",\"sequenceNumber\":\"" + ++_sequence + "\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"customParameters\":{\"call_id\":\"7\"},\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}");

    private Task SendMediaAsync(byte[] audio, int timestampMs, int? sequence = null) =>
        SendAsync($$$"""{"event":"media","sequenceNumber":"{{{sequence ?? ++_sequence}}}","media":{"track":"inbound","timestamp":"{{{timestampMs}}}","payload":"{{{Convert.ToBase64String(audio)}}}"}}""");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }

    private int Count(string prefix) => _seen.Count(s => s.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task The_stream_is_admitted_on_start_and_its_messages_become_frames_in_order_until_stop()
    {
        var receiving = _input.ReceiveAsync(Admit(), _lifetime.Token);
        await SendAsync("""{"event":"connected","protocol":"Call","version":"1.0.0"}""");
        await SendStartAsync();
        await SendMediaAsync([.. Enumerable.Repeat((byte)7, 160)], 0);
        await SendAsync("nope");
        await SendMediaAsync(new byte[160], 20, sequence: _sequence); // a replayed sequence number: skipped
        await SendAsync($$$"""{"event":"mark","sequenceNumber":"{{{++_sequence}}}","mark":{"name":"s1"}}""");
        await SendAsync($$$"""{"event":"dtmf","sequenceNumber":"{{{++_sequence}}}","dtmf":{"digit":"5"}}""");
        await SendAsync("""{"event":"text","text":"three bedrooms"}""");
        await SendMediaAsync([.. Enumerable.Repeat((byte)9, 160)], 20);
        await SendAsync($$$"""{"event":"stop","sequenceNumber":"{{{++_sequence}}}"}""");

        Assert.Equal("stop", await receiving);
        Assert.Equal(("MZ1", "7"), (_admitted!.StreamSid, _admitted.Parameters["call_id"]));
        Assert.Equal(["audio 0 160 7", "mark s1", "dtmf 5", "words three bedrooms True", "audio 20 160 9"], _seen.ToArray());
    }

    [Theory]
    [InlineData("media", WebSocketCloseStatus.PolicyViolation, "media before start")]
    [InlineData("l16", WebSocketCloseStatus.InvalidPayloadData, "unsupported media format")]
    [InlineData("huge", WebSocketCloseStatus.MessageTooBig, "message too large")]
    public async Task A_protocol_violation_before_start_closes_the_socket_and_admits_nothing(string first, WebSocketCloseStatus status, string reason)
    {
        var receiving = _input.ReceiveAsync(Admit(), _lifetime.Token);
        await (first switch
        {
            "media" => SendMediaAsync(new byte[160], 0),
            "l16" => SendAsync("""{"event":"start","start":{"streamSid":"MZ1","mediaFormat":{"encoding":"audio/l16","sampleRate":8000,"channels":1}}}"""),
            _ => SendAsync(new string(' ', MediaStreamInput.MaxMessageBytes + 1)),
        });

        Assert.Equal(reason, await receiving);
        var close = await _client.ReceiveAsync(new byte[64], CancellationToken.None);
        Assert.Equal((WebSocketMessageType.Close, status, reason), (close.MessageType, _client.CloseStatus, _client.CloseStatusDescription));
        Assert.Null(_admitted);
    }

    [Fact]
    public async Task A_start_the_host_refuses_closes_the_socket_as_refused()
    {
        var receiving = _input.ReceiveAsync((_, _) => ValueTask.FromResult<CallClock?>(null), _lifetime.Token);
        await SendStartAsync();
        Assert.Equal("stream refused", await receiving);
        await _client.ReceiveAsync(new byte[64], CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, _client.CloseStatus);
    }

    [Fact]
    public async Task Silence_on_the_socket_sends_a_gap_tick_after_400_ms_then_every_100_ms_until_audio_comes_back_and_stops_after_3_s()
    {
        _ = _input.ReceiveAsync(Admit(), _lifetime.Token);
        await SendStartAsync();
        await SendMediaAsync(new byte[160], 0);
        await WaitUntilAsync(() => Count("audio") == 1);

        // A stall shorter than 400 ms (network jitter) is no gap.
        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Equal(0, Count("gap"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => Count("gap") == 1);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => Count("gap") == 2);
        Assert.Equal(["audio 0 160 0", "gap 400", "gap 500"], _seen.ToArray());

        // Audio again: the silence counts from it.
        await SendMediaAsync(new byte[160], 20);
        await WaitUntilAsync(() => Count("audio") == 2);
        for (var i = 0; i < 4; i++) _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => Count("gap") == 3);
        Assert.Equal("gap 400", _seen.Last());

        for (var i = 0; i < 40; i++) _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => Count("gap") == 3 + 26);
        for (var i = 0; i < 10; i++) _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(3 + 26, Count("gap")); // 400 ms … 3 s, then nothing is left to decide
    }

    [Fact]
    public async Task A_reply_paused_by_the_callers_sound_resumes_when_the_stream_stops_sending_audio()
    {
        var options = new VoiceOptions();
        var bargeIn = new BargeInStage(new BargeInPolicy(BargeInPolicy.Timing.From(options)));
        _ = _input.ReceiveAsync(Admit(new VadStage(options), bargeIn), _lifetime.Token);
        await SendStartAsync();
        await WaitUntilAsync(() => _pipeline is not null);
        await bargeIn.QueueFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream);

        // An "mm" of 200 ms over the agent, and then the stream sends nothing more.
        var tone = AudioFixtures.Tone(200);
        for (var i = 0; i < tone.Length; i += 160) await SendMediaAsync(tone[i..(i + 160)], i / 8);
        await WaitUntilAsync(() => Count("audio") == 10);
        Assert.Equal(1, Count(nameof(PauseReplyFrame)));

        // A 300 ms stall is jitter, not a gap: the reply stays paused...
        for (var i = 0; i < 3; i++) _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, Count("gap"));
        Assert.Equal(0, Count(nameof(ResumeReplyFrame)));
        // ...at 400 ms without audio the voice ended with it, and the reply plays on (150 ms of quiet resume it).
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => Count(nameof(ResumeReplyFrame)) == 1);
        Assert.Equal(1, Count("gap"));
        Assert.Equal(0, Count(nameof(InterruptionFrame)));
    }
}
