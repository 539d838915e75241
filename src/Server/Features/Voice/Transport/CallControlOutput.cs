using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Features.Voice.Transport;

/// <summary>
/// The output end's call control, the pipeline's last stage: end and transfer frames reach it only after the paced
/// sender has played the agent's last words out. A transfer goes to the phone network (<see cref="ICallControl"/>);
/// its result, and the end of a call, go back upstream as frames (<see cref="TransferUpdateFrame"/>,
/// <see cref="CallEndedFrame"/>) — the agent stage reacts to a refusal, and the session applies them to its state.
/// </summary>
public sealed class CallControlOutput(VoiceCall call, ICallControl control, ILogger logger) : FrameProcessor
{
    private CancellationToken _lifetime;

    public override Task StartAsync(CancellationToken lifetime)
    {
        _lifetime = lifetime;
        return base.StartAsync(lifetime);
    }

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case TransferCallFrame transfer:
                await TransferAsync(transfer).ConfigureAwait(false);
                break;
            case EndCallFrame end:
                await PushFrameAsync(new CallEndedFrame("hang-up: " + end.Reason), FrameDirection.Upstream).ConfigureAwait(false);
                break;
            default:
                await PushFrameAsync(frame, direction).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask TransferAsync(TransferCallFrame transfer)
    {
        await PushFrameAsync(new TransferUpdateFrame(transfer.Reason, TransferProgress.Requested), FrameDirection.Upstream).ConfigureAwait(false);
        TransferResult result;
        try
        {
            // The call's lifetime, not the reply's: a caller talking over the hand-off does not cancel it.
            result = await control.TransferAsync(call, transfer.Reason, transfer.Whisper, _lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            logger.LogInformation("Transfer of call {CallId} abandoned: the call ended first", call.Id);
            return;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Transfer of call {CallId} failed", call.Id);
            result = TransferResult.Refused(ex.Message);
        }
        if (!result.Accepted) logger.LogWarning("Transfer of call {CallId} refused: {Reason}", call.Id, result.FailureReason);
        await PushFrameAsync(new TransferUpdateFrame(transfer.Reason, result.Accepted ? TransferProgress.Accepted : TransferProgress.Refused,
            result.FailureReason), FrameDirection.Upstream).ConfigureAwait(false);
    }
}
