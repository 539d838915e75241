namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>The paced sender's end: the reply in flight saved as heard, then the pacer and the send gate released.</summary>
public sealed partial class OutputStage
{
    /// <summary>
    /// The call is ending (the caller hung up or left, the socket dropped, a transfer, a shutdown): the reply in
    /// flight stops where the caller stopped hearing it — up to a barge-in pause, if one was holding it — and is
    /// saved as an interrupted turn; from now on nothing is sent and no turn begins. Idempotent.
    /// </summary>
    public async ValueTask StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        // Cancel first, as an interruption does: the send loop sees its reply cancelled, whatever wakes it.
        InterruptSelf();
        AgentTurnRecord? record = null;
        TaskCompletionSource? resumed;
        // Bounded: a send stuck on a dead socket must not keep the call from ending.
        var gated = await _sendGate.WaitAsync(StopSendGateWait).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_turnActive)
                {
                    var heard = HeardFrames();
                    // A sentence still playing when the call ended was said (in part): it goes into the turn.
                    _sentences.EndUnfinished(heard);
                    record = CompleteTurn(interrupted: true, _sentences.HeardText(heard), _paused ? _pausedAt : _clock.Now);
                }
                _paused = false;
                resumed = _resumed;
                _resumed = null;
                _pacer.Reset();
            }
        }
        finally
        {
            if (gated) _sendGate.Release();
        }
        resumed?.TrySetResult();
        if (record is not null) _observer.OnAgentTurn(record);
    }

    private static readonly TimeSpan StopSendGateWait = TimeSpan.FromSeconds(1);

    public override async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
        // Only once the send loop has ended: a sender still waiting on a disposed pacer's timer would wait for ever.
        _pacer.Dispose();
        _sendGate.Dispose();
    }
}
