using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>The session's recovery: noticing a socket that went quiet, and opening a new one that replays the audio.</summary>
internal sealed partial class DeepgramSttSession
{
    /// <summary>How much audio the current socket has left unanswered, when that means it stalled; else null.</summary>
    private TimeSpan? StalledFor(long sent)
    {
        var sinceAnswer = sent - Volatile.Read(ref _answeredAtBytes);
        if (sinceAnswer >= _options.ResultsTimeout.TotalSeconds * BytesPerSecond) return Audio(sinceAnswer);
        if (FinalizeUnansweredFor(sent) >= _options.FinalizeTimeout) return Audio(sinceAnswer);
        return CallerWaitingFor(sent) >= _options.ResultsTimeoutAfterSpeech ? Audio(sinceAnswer) : null;
    }

    /// <summary>Asks the socket (under the send lock, after the audio it covers) to finalise the words it has pending.</summary>
    private async Task SendFinalizeAsync(long sent, CancellationToken cancellationToken)
    {
        _finalizeWanted = false;
        Volatile.Write(ref _messagesAtFinalize, Interlocked.Read(ref _messages));
        Volatile.Write(ref _finalizeSentAtBytes, sent);
        await TrySendAsync(FinalizeMessage, WebSocketMessageType.Text, cancellationToken);
    }

    /// <summary>How much audio a Finalize has gone unanswered (null when none is waiting).</summary>
    private TimeSpan? FinalizeUnansweredFor(long sent)
    {
        var at = Volatile.Read(ref _finalizeSentAtBytes);
        if (at < 0 || Interlocked.Read(ref _messages) != Volatile.Read(ref _messagesAtFinalize)) return null;
        return Audio(sent - at);
    }

    /// <summary>How long the caller has been waiting for an answer to speech that ended (zero when none is owed).</summary>
    private TimeSpan CallerWaitingFor(long sent)
    {
        var speechEnd = Volatile.Read(ref _speechEndedAtBytes);
        if (speechEnd < 0 || Interlocked.Read(ref _messages) != Volatile.Read(ref _messagesAtSpeechEnd)) return TimeSpan.Zero;
        return Audio(sent - speechEnd);
    }

    private static TimeSpan Audio(long bytes) => TimeSpan.FromSeconds((double)bytes / BytesPerSecond);

    /// <summary>Gives the silent socket up (under the send lock): the receive loop sees it drop and reconnects.</summary>
    private void AbandonStalledSocket(TimeSpan unanswered)
    {
        _live = false;
        _awaitingAnswer = true;
        _abandonedStalled = true;
        _stalledCallerWaiting = CallerWaitingFor(_sentBytes);
        _logger.LogWarning("Deepgram answered nothing for {Seconds:F1} s of caller audio on call {CallSid}; replacing the socket",
            unanswered.TotalSeconds, _callSid);
        _socket?.Abort();
    }

    /// <summary>Opens a new socket and replays the uncovered audio; false when the session must give up.</summary>
    private async Task<bool> ReconnectAsync(CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        try { _live = false; }
        finally { _sendLock.Release(); }

        for (var attempt = 1; attempt <= _options.MaxReconnectAttempts; attempt++)
        {
            WebSocket socket;
            try
            {
                socket = await _connect(token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Deepgram reconnect {Attempt}/{Max} failed for call {CallSid}", attempt, _options.MaxReconnectAttempts, _callSid);
                if (ex is DeepgramRejectedException) break; // a bad key or request: trying again cannot help
                if (attempt < _options.MaxReconnectAttempts) await Task.Delay(Backoff(attempt), _time, token);
                continue;
            }
            await _sendLock.WaitAsync(token);
            try
            {
                byte[] replay;
                lock (_audio)
                {
                    replay = _audio.ToArray();
                    Volatile.Write(ref _connectionBaseBytes, _audio.StartOffset);
                }
                var old = _socket;
                _socket = socket;
                _live = true;
                // The new socket's clock for the stall watch starts now; a caller's end of speech still unanswered
                // must be answered by it (its audio is in the replay) as soon as by the old one.
                Volatile.Write(ref _answeredAtBytes, _sentBytes);
                if (Volatile.Read(ref _speechEndedAtBytes) >= 0 && Interlocked.Read(ref _messages) == Volatile.Read(ref _messagesAtSpeechEnd))
                    Volatile.Write(ref _speechEndedAtBytes, _sentBytes);
                // The new socket has heard nothing yet; a Finalize the old one left unanswered is asked again after
                // the replay, so the replayed words come back final at once.
                var finalizeOwed = FinalizeUnansweredFor(_sentBytes) is not null || _finalizeWanted;
                _wordsPending = false;
                _finalizeWanted = false;
                Volatile.Write(ref _finalizeSentAtBytes, -1);
                old?.Dispose();
                Reconnects++;
                _logger.LogInformation("Deepgram reconnected for call {CallSid}; replaying {Bytes} bytes of audio", _callSid, replay.Length);
                for (var i = 0; i < replay.Length && _live; i += ReplayChunkBytes)
                {
                    await TrySendAsync(replay.AsMemory(i, Math.Min(ReplayChunkBytes, replay.Length - i)), WebSocketMessageType.Binary, token);
                }
                if (finalizeOwed && _live && !_completing) await SendFinalizeAsync(_sentBytes, token);
                if (_completing && _live) await TrySendAsync(CloseStreamMessage, WebSocketMessageType.Text, token);
            }
            finally
            {
                _sendLock.Release();
            }
            return true;
        }
        _events.Writer.TryWrite(new SttError("Speech recognition connection lost", Recoverable: false));
        return false;
    }

    /// <summary>100 ms, doubling, at most 2 s: quick for a blip, gentle on an outage.</summary>
    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 100 << Math.Min(attempt - 1, 5)));
}
