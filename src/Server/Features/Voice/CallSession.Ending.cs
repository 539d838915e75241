using System.Net.WebSockets;
using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The one way a call ends, whatever ended it (caller hang-up or <c>stop</c>, a closed or dropped socket, the agent's
/// end_call, a transfer, a fault, server shutdown): the reply in flight stops where the caller stopped hearing it,
/// the caller's last words are flushed, the pipeline and the queued turn writes stop — each step bounded, its failure
/// logged — and then the final status is always written, with a token of its own (the call's are cancelled by now).
/// </summary>
public sealed partial class CallSession
{
    private static readonly TimeSpan SttFlushLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(3);
    /// <summary>The node's recording writer may have other calls' pieces queued ahead of this call's last ones.</summary>
    private static readonly TimeSpan RecordingFlushLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FinalWriteLimit = TimeSpan.FromSeconds(10);
    private CancellationTokenSource? _leaseStop;
    private Task? _leaseRenewal;

    private static readonly TimeSpan GoodbyeLimit = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan PeerCloseLimit = TimeSpan.FromSeconds(2);

    /// <summary>Until the stream ends (the caller's side), the call ends (ours: <see cref="EndAsync"/>) or the server stops.</summary>
    private async Task UntilEndingAsync(Task receiving, CancellationToken serverStopping)
    {
        var ending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_end.Token.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), ending))
        using (serverStopping.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), ending))
            await Task.WhenAny(receiving, ending.Task).ConfigureAwait(false);
    }

    /// <summary>
    /// A call the server ends (the drain's deadline): whatever the agent was saying stops, the closing line plays and
    /// the call ends the way the agent's end_call ends it — the output end reports it after the line's last frame
    /// (<see cref="CallEndedFrame"/>, then <see cref="EndAsync"/>). Bounded: past <see cref="GoodbyeLimit"/> the call ends anyway.
    /// </summary>
    private async Task SayGoodbyeAsync(Task receiving)
    {
        var pipeline = _pipeline!.Pipeline;
        LogSayingGoodbye(_call!.Id);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _end.Token.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), ended);
        await pipeline.QueueFrameAsync(InterruptionFrame.Instance).ConfigureAwait(false);
        await pipeline.QueueFrameAsync(AgentReplyStartedFrame.Unprompted).ConfigureAwait(false);
        await pipeline.QueueFrameAsync(new SpeakSentenceFrame(pipelines.Options.ShutdownLine)).ConfigureAwait(false);
        await pipeline.QueueFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
        await pipeline.QueueFrameAsync(new EndCallFrame("server shutdown")).ConfigureAwait(false);
        await Task.WhenAny(receiving, ended.Task, Task.Delay(GoodbyeLimit, time)).ConfigureAwait(false);
    }

    /// <summary>
    /// After our close frame, the caller's answer ends the read loop (the close handshake); a peer that does not
    /// answer within <see cref="PeerCloseLimit"/> has its connection aborted.
    /// </summary>
    private async Task AwaitPeerCloseAsync(Task<string> receiving)
    {
        try
        {
            await receiving.WaitAsync(PeerCloseLimit, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            socket.Abort();
        }
        catch (Exception ex)
        {
            LogSocketError(ex.Message); // judged already, or the socket went while closing
        }
        try
        {
            await receiving.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSocketError(ex.Message);
        }
    }

    private async Task FinishAsync()
    {
        if (_call is null) return; // never admitted: the row is not ours to finish
        try
        {
            await StopPipelineAsync(_call.Id).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Stopping call {CallId} failed; finalising it anyway", _call.Id);
        }
        var recording = await FinishRecordingAsync().ConfigureAwait(false);
        await WriteFinalStatusAsync(_call, recording).ConfigureAwait(false);
        // Stored after the row says "pending", so the encoder's "recorded" is the last word.
        if (recording.Job is { } job) recordings.Store(job);
        // Renewed up to here: a slow ending must not look like a lost server to the sweepers.
        await StopLeaseRenewalAsync().ConfigureAwait(false);
    }

    /// <summary>Keeps this node's lease on the call alive while the session runs (see <see cref="CallLeaseOptions"/>).</summary>
    private void StartLeaseRenewal(int callId)
    {
        _leaseStop = new CancellationTokenSource();
        _leaseRenewal = RenewLeaseAsync(callId, _leaseStop.Token);
    }

    private async Task RenewLeaseAsync(int callId, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(leases.Value.RenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    if (await store.RenewLeaseAsync(callId, stop).ConfigureAwait(false)) continue;
                    LogLeaseLost(callId);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again; the lease outlasts a few missed renewals.
                    logger.LogWarning(ex, "Renewing the lease of call {CallId} failed", callId);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task StopLeaseRenewalAsync()
    {
        if (_leaseStop is null || _leaseRenewal is null) return;
        await _leaseStop.CancelAsync().ConfigureAwait(false);
        await _leaseRenewal.ConfigureAwait(false);
        _leaseStop.Dispose();
    }

    private async Task StopPipelineAsync(int callId)
    {
        // Nothing more goes to a socket that is closing or gone, and the reply stops where the caller stopped hearing it.
        _sink?.Close();
        if (_pipeline is not null)
            await BoundedAsync(callId, "stopping the reply", _ => _pipeline.Output.StopAsync().AsTask(), StepLimit).ConfigureAwait(false);
        if (_input is not null) await _input.CloseAsync(WebSocketCloseStatus.NormalClosure, _endReason ?? "call ended").ConfigureAwait(false);
        // The caller's last words (Deepgram's CloseStream) still become a turn.
        if (_pipeline is not null)
            await BoundedAsync(callId, "flushing speech-to-text", ct => _pipeline.Stt.CompleteAsync(ct), SttFlushLimit).ConfigureAwait(false);
        // Ends the pipeline's lifetime: every stage drops its queue and cancels its work in flight (LLM, tool, TTS).
        try { await _end.CancelAsync().ConfigureAwait(false); } catch (ObjectDisposedException) { }
        if (_pipeline is not null)
            await BoundedAsync(callId, "stopping the pipeline", _ => _pipeline.Pipeline.DisposeAsync().AsTask(), StepLimit).ConfigureAwait(false);
        // Every turn queued so far reaches the database before the final status (which builds the transcript from them).
        if (_recorder is not null)
            await BoundedAsync(callId, "writing the turns", _ => _recorder.DisposeAsync().AsTask(), StepLimit).ConfigureAwait(false);
    }

    /// <summary>Runs one step of the ending; one that fails or overruns is logged and the ending goes on without it.</summary>
    private async Task BoundedAsync(int callId, string step, Func<CancellationToken, Task> work, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit, time);
        Task task;
        try
        {
            task = work(timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Call {CallId}: {Step} failed", callId, step);
            return;
        }
        try
        {
            await task.WaitAsync(limit, time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || ex is OperationCanceledException && timeout.IsCancellationRequested)
        {
            LogStepOverran(callId, step, limit.TotalSeconds);
            // Left running: whatever it still throws is logged, not lost.
            _ = task.ContinueWith(t => logger.LogError(t.Exception, "Call {CallId}: {Step} failed after the call ended", callId, step),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Call {CallId}: {Step} failed", callId, step);
        }
    }

    /// <summary>
    /// The recording's file is completed (no more audio comes; its last pieces reach the disk) and kept or deleted; its
    /// status goes in the final write. Bounded: a disk that does not answer fails the recording, not the call's end.
    /// </summary>
    private async Task<Recording.RecordingOutcome> FinishRecordingAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(RecordingFlushLimit, time);
            return await recordings.FinishAsync(_recording, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Call {CallId}: finishing its recording failed", _call?.Id);
            return new Recording.RecordingOutcome(Recording.RecordingStatuses.Failed, "the recording could not be finished", null);
        }
        finally
        {
            _recording?.Dispose();
        }
    }

    private async Task WriteFinalStatusAsync(VoiceCall call, Recording.RecordingOutcome recording)
    {
        var now = time.GetUtcNow();
        // Never started (refused before the pipeline): a state with nothing in it still ends the row.
        var state = _state ?? new CallState(call.LeadId);
        var end = state.End(_sessionFailure, now, (int)Math.Round((now - _startedAt).TotalSeconds));
        end = end with { LeadId = end.LeadId ?? call.LeadId, RecordingStatus = recording.Status, RecordingStatusReason = recording.Reason };
        var outcome = end.Outcome.ToString();
        try
        {
            using var timeout = new CancellationTokenSource(FinalWriteLimit, time);
            await store.FinishCallAsync(call.Id, end, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The call's lease then runs out and a sweeper (on any node) finalises the row.
            logger.LogError(ex, "Finalising call {CallId} failed", call.Id);
        }
        events.CallUpdated(call.AgentId, call.Id);
        LogFinished(call.Id, _endReason ?? "ended", outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {Step} did not finish within {Seconds} s; the call ends without waiting for it")]
    private partial void LogStepOverran(int callId, string step, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: its lease is no longer ours (finalised elsewhere); no longer renewing it")]
    private partial void LogLeaseLost(int callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the server is stopping; saying the closing line and ending the call")]
    private partial void LogSayingGoodbye(int callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} finished ({Reason}), outcome {Outcome}")]
    private partial void LogFinished(int callId, string reason, string outcome);
}
