using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Long caller silence after the agent finished speaking: asks "are you still there?", and if the silence goes
/// on, says goodbye and hangs up. One timer per call, re-armed, never polled.
/// </summary>
public sealed class IdleMonitor : FrameProcessor
{
    private readonly VoiceOptions _options;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _prompted;
    private bool _armed;

    public IdleMonitor(VoiceOptions options, TimeProvider time)
    {
        _options = options;
        _timer = time.CreateTimer(_ => _ = OnSilenceAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    protected override ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        switch (frame)
        {
            case UserStartedSpeakingFrame:
                lock (_gate)
                {
                    _prompted = false;
                    Disarm();
                }
                break;
            case BotStartedSpeakingFrame:
                lock (_gate) Disarm();
                break;
            case BotStoppedSpeakingFrame:
                lock (_gate)
                {
                    _armed = true;
                    var wait = _prompted ? _options.IdleHangupSeconds : _options.IdlePromptSeconds;
                    _timer.Change(TimeSpan.FromSeconds(wait), Timeout.InfiniteTimeSpan);
                }
                break;
        }
        return PushFrameAsync(frame, direction);
    }

    protected override ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        if (frame is UserTurnFrame)
        {
            lock (_gate)
            {
                _prompted = false;
                Disarm();
            }
        }
        return PushFrameAsync(frame, direction);
    }

    private void Disarm()
    {
        _armed = false;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private async Task OnSilenceAsync()
    {
        bool hangUp;
        lock (_gate)
        {
            if (!_armed) return;
            _armed = false;
            hangUp = _prompted;
            _prompted = true;
        }
        // Nobody asked: the prompt has no latency (the caller's last end of speech is long past).
        await PushFrameAsync(AgentReplyStartedFrame.Unprompted).ConfigureAwait(false);
        await PushFrameAsync(new SpeakSentenceFrame(hangUp ? $"I'll let you go. Thanks for calling {_options.AgencyName}. Goodbye." : _options.IdlePrompt)).ConfigureAwait(false);
        await PushFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
        if (hangUp) await PushFrameAsync(new EndCallFrame("caller silent")).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
