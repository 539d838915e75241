using System.Text;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The paced sender: cuts synthesised audio into 20 ms frames, sends them at real time, sends a <c>mark</c> after
/// every sentence, and on barge-in sends <c>clear</c> and works out — from the marks Twilio echoed and the play
/// position — what the caller actually heard. Reports each agent turn when it ends.
/// </summary>
public sealed class OutputStage : FrameProcessor
{
    private readonly IMediaStreamSink _sink;
    private readonly ICallObserver _observer;
    private readonly CallClock _clock;
    private readonly Pacer _pacer;
    private readonly Lock _gate = new();
    private readonly byte[] _frame = new byte[MuLaw.FrameBytes];
    private int _frameLength;
    private readonly List<SentencePlayback> _sentences = [];
    private readonly StringBuilder _fullText = new();
    private ReplyTimings? _timings;
    private bool _turnActive;
    private bool _speaking;
    private TimeSpan _turnStart;
    private double _turnAudioMs;
    private int _markCounter;

    public OutputStage(IMediaStreamSink sink, ICallObserver observer, CallClock clock, VoiceOptions options)
    {
        _sink = sink;
        _observer = observer;
        _clock = clock;
        _pacer = new Pacer(clock.Time, options.PacingLeadMs, MuLaw.FrameMs);
    }

    private sealed class SentencePlayback(string text, string mark, double startMs)
    {
        public string Text { get; } = text;
        public string Mark { get; } = mark;
        public double StartMs { get; } = startMs;
        public double EndMs { get; set; } = startMs;
        public bool Played { get; set; }
    }

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case AgentReplyStartedFrame started:
                await FinishTurnAsync(replyToken).ConfigureAwait(false);
                lock (_gate) BeginTurn(started.Timings);
                break;
            case OutputAudioFrame audio:
                await SendAudioAsync(audio.Mulaw, replyToken).ConfigureAwait(false);
                break;
            case SentenceAudioEndFrame end:
                await EndSentenceAsync(end.Text, replyToken).ConfigureAwait(false);
                break;
            case AgentReplyEndedFrame:
                await FinishTurnAsync(replyToken).ConfigureAwait(false);
                break;
            case TransferCallFrame transfer:
                await FinishTurnAsync(CancellationToken.None).ConfigureAwait(false);
                await _observer.TransferAsync(transfer.Reason, CancellationToken.None).ConfigureAwait(false);
                break;
            case EndCallFrame end:
                await FinishTurnAsync(CancellationToken.None).ConfigureAwait(false);
                await _observer.HangUpAsync(end.Reason, CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                await PushFrameAsync(frame, direction).ConfigureAwait(false);
                break;
        }
    }

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        switch (frame)
        {
            case InterruptionFrame:
                await InterruptAsync(lifetime).ConfigureAwait(false);
                break;
            case MarkPlayedFrame mark:
                lock (_gate)
                {
                    foreach (var s in _sentences)
                        if (s.Mark == mark.Name) s.Played = true;
                }
                return;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private void BeginTurn(ReplyTimings timings)
    {
        _timings = timings;
        _turnActive = true;
        _turnStart = _clock.Now;
        _turnAudioMs = 0;
        _sentences.Clear();
        _fullText.Clear();
        _frameLength = 0;
    }

    private async ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken token)
    {
        lock (_gate)
        {
            if (!_turnActive) BeginTurn(new ReplyTimings { StartedAt = _clock.Time.GetTimestamp() });
        }
        while (!audio.IsEmpty)
        {
            var take = Math.Min(audio.Length, MuLaw.FrameBytes - _frameLength);
            audio.Span[..take].CopyTo(_frame.AsSpan(_frameLength));
            _frameLength += take;
            audio = audio[take..];
            if (_frameLength == MuLaw.FrameBytes)
                await SendFrameAsync(token).ConfigureAwait(false);
        }
    }

    private async ValueTask SendFrameAsync(CancellationToken token)
    {
        await _pacer.WaitForSlotAsync(token).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        bool first;
        lock (_gate)
        {
            first = !_speaking;
            _speaking = true;
            _turnAudioMs += MuLaw.FrameMs;
            if (_timings is { FirstAudioAt: null } t) t.FirstAudioAt = _clock.Time.GetTimestamp();
            if (first && _sentences.Count == 0) _turnStart = _clock.Now;
        }
        if (first) await PushFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
        _frameLength = 0;
        await _sink.SendMediaAsync(_frame, token).ConfigureAwait(false);
    }

    private async ValueTask EndSentenceAsync(string text, CancellationToken token)
    {
        if (_frameLength > 0)
        {
            _frame.AsSpan(_frameLength).Fill(MuLaw.Silence);
            _frameLength = MuLaw.FrameBytes;
            await SendFrameAsync(token).ConfigureAwait(false);
        }
        string mark;
        lock (_gate)
        {
            var previousEnd = _sentences.Count > 0 ? _sentences[^1].EndMs : 0;
            mark = "s" + (++_markCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _sentences.Add(new SentencePlayback(text, mark, previousEnd) { EndMs = _turnAudioMs });
            if (_fullText.Length > 0) _fullText.Append(' ');
            _fullText.Append(text);
        }
        await _sink.SendMarkAsync(mark, token).ConfigureAwait(false);
        await _sink.SendTranscriptAsync("agent", text, true, token).ConfigureAwait(false);
    }

    private async ValueTask FinishTurnAsync(CancellationToken token)
    {
        bool active;
        lock (_gate) active = _turnActive;
        if (!active) return;
        await _pacer.WaitPlayedOutAsync(token).ConfigureAwait(false);
        AgentTurnRecord? record;
        bool wasSpeaking;
        lock (_gate)
        {
            wasSpeaking = _speaking;
            record = CompleteTurn(interrupted: false, heard: _fullText.ToString());
        }
        _pacer.Reset();
        if (wasSpeaking) await PushFrameAsync(BotStoppedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
        if (record is not null) _observer.OnAgentTurn(record);
    }

    private async ValueTask InterruptAsync(CancellationToken lifetime)
    {
        AgentTurnRecord? record = null;
        bool wasSpeaking;
        string heard = "";
        lock (_gate)
        {
            wasSpeaking = _speaking;
            if (_turnActive)
            {
                heard = HeardText(Math.Max(PlayedByMarks(), _pacer.PlayedMs));
                record = CompleteTurn(interrupted: true, heard);
            }
            _frameLength = 0;
        }
        _pacer.Reset();
        if (wasSpeaking || record is not null)
            await _sink.SendClearAsync(lifetime).ConfigureAwait(false);
        if (record is not null)
        {
            _observer.OnAgentTurn(record);
            await PushFrameAsync(new AgentTurnHeardFrame(heard, interrupted: true), FrameDirection.Upstream).ConfigureAwait(false);
        }
        if (wasSpeaking) await PushFrameAsync(BotStoppedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
    }

    private double PlayedByMarks()
    {
        var played = 0.0;
        foreach (var s in _sentences)
        {
            if (!s.Played) break;
            played = s.EndMs;
        }
        return played;
    }

    /// <summary>Whole sentences played, plus the words of the sentence in progress in proportion to its play time.</summary>
    private string HeardText(double playedMs)
    {
        var heard = new StringBuilder();
        foreach (var s in _sentences)
        {
            if (s.EndMs <= playedMs + 1)
            {
                Append(heard, s.Text);
                continue;
            }
            var fraction = (playedMs - s.StartMs) / Math.Max(1, s.EndMs - s.StartMs);
            var words = s.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var count = (int)Math.Floor(words.Length * fraction);
            if (count > 0) Append(heard, string.Join(' ', words.Take(count)));
            break;
        }
        return heard.ToString();

        static void Append(StringBuilder sb, string text)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(text);
        }
    }

    private AgentTurnRecord? CompleteTurn(bool interrupted, string heard)
    {
        var timings = _timings;
        var fullText = _fullText.ToString();
        var speaking = _speaking;
        _turnActive = false;
        _speaking = false;
        _timings = null;
        _sentences.Clear();
        _fullText.Clear();
        if (fullText.Length == 0 && timings is not { ToolCalls.Count: > 0 }) return null;

        var time = _clock.Time;
        // Latencies are measured from the caller's end of speech, so FirstAudio is the silence the caller heard.
        var stt = timings?.SttLatency ?? TimeSpan.Zero;
        TimeSpan? Since(long? at) => at is { } ts && timings is not null ? stt + time.GetElapsedTime(timings.StartedAt, ts) : null;
        return new AgentTurnRecord(
            heard, fullText, interrupted, _turnStart, speaking || interrupted ? _clock.Now : _turnStart,
            timings?.ToolCalls ?? [],
            timings?.SttLatency,
            Since(timings?.LlmFirstTokenAt), Since(timings?.TtsFirstByteAt), Since(timings?.FirstAudioAt));
    }

    public override async ValueTask DisposeAsync()
    {
        _pacer.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
