using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Caller audio on its way to the recogniser: frame by frame while an answer from it may be waited on, and
/// <see cref="QuietFramesPerMessage"/> frames (100 ms) a message while none can be — most of a call, the caller
/// listening to the agent. Every socket message costs a system call and a wake-up at both ends (at 500 calls a node,
/// the recogniser's 50 messages per call-second were a third of all socket traffic); silence that nobody owes an
/// answer for is in no hurry, and the recogniser's timestamps come from the audio, not from when it arrived.
/// Waited on means: the caller is speaking (our VAD); the recogniser holds interim words; or the caller stopped and the
/// recogniser has not yet answered for it (a final at its endpoint, or the utterance's end), for at most
/// <see cref="MaxOwedMs"/> of audio. Batching that silence too made the recogniser's endpointing late (tried in
/// session 11: the turn's first agent audio came up to 20 ms later).
/// The audio side (<see cref="SendAsync"/>, <see cref="FlushAsync"/>, <see cref="CallerStarted"/>,
/// <see cref="CallerStopped"/>) runs one call at a time (the stage's system frames); the recogniser side
/// (<see cref="Heard"/>) on its event reader. Every field has one writer.
/// </summary>
internal sealed class RecogniserAudioBatch
{
    public const int QuietFramesPerMessage = 5;

    /// <summary>How long after the caller stops the audio stays frame by frame with no answer (Deepgram's stall limit after speech).</summary>
    public const int MaxOwedMs = 1500;

    private const int MaxOwedBytes = MaxOwedMs / MuLaw.FrameMs * MuLaw.FrameBytes;
    private readonly byte[] _held = new byte[QuietFramesPerMessage * MuLaw.FrameBytes];
    private int _heldLength;

    // Audio side.
    private bool _callerSpeaking;
    private int _answersAtStop;
    private int _owedBytesLeft;

    // Recogniser side.
    private int _answers;
    private volatile bool _interimWords;

    /// <summary>Audio held for the next message (the stage flushes it on a gap tick).</summary>
    public int HeldBytes => _heldLength;

    public void CallerStarted() => _callerSpeaking = true;

    public void CallerStopped()
    {
        _callerSpeaking = false;
        _answersAtStop = Volatile.Read(ref _answers);
        _owedBytesLeft = MaxOwedBytes;
    }

    /// <summary>What the recogniser said: interim words are owed their final; an endpoint or utterance end answers the speech.</summary>
    public void Heard(SttEvent recognised)
    {
        switch (recognised)
        {
            case SttTranscript { IsFinal: false } interim when !string.IsNullOrWhiteSpace(interim.Text):
                _interimWords = true;
                break;
            case SttTranscript { IsFinal: true } final:
                _interimWords = false;
                if (final.SpeechFinal) Interlocked.Increment(ref _answers);
                break;
            case SttUtteranceEnd:
                _interimWords = false;
                Interlocked.Increment(ref _answers);
                break;
        }
    }

    private bool AnswerWaitedOn =>
        _callerSpeaking || _interimWords || (_owedBytesLeft > 0 && Volatile.Read(ref _answers) == _answersAtStop);

    /// <summary>Sends the frame now (with any audio held ahead of it) or holds it for a fuller message.</summary>
    public async ValueTask SendAsync(ISpeechToTextSession session, ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        var now = AnswerWaitedOn;
        if (_owedBytesLeft > 0) _owedBytesLeft -= mulaw.Length;
        if (_heldLength + mulaw.Length > _held.Length) await FlushAsync(session, cancellationToken).ConfigureAwait(false);
        if (_heldLength == 0 && (now || mulaw.Length >= _held.Length))
        {
            await session.SendAudioAsync(mulaw, cancellationToken).ConfigureAwait(false);
            return;
        }
        mulaw.Span.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += mulaw.Length;
        if (now || _heldLength == _held.Length) await FlushAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is held, if anything (the caller's audio stopped coming; the call ends).</summary>
    public ValueTask FlushAsync(ISpeechToTextSession session, CancellationToken cancellationToken)
    {
        if (_heldLength == 0) return ValueTask.CompletedTask;
        var length = _heldLength;
        _heldLength = 0;
        return session.SendAudioAsync(_held.AsMemory(0, length), cancellationToken);
    }
}
