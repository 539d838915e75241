
namespace EstateVoice.Server.Features.Voice;

// Typed frames flowing through the voice pipeline (pipecat's idea, kept small):
// - SystemFrame: processed at once, ahead of queued data (audio in, speech events, interruption, marks).
// - DataFrame: queued in order; dropped when an interruption flushes the queue (unless IUninterruptible).
// - ControlFrame: queued in order like data (reply boundaries, end of call).

public abstract class Frame;

public abstract class SystemFrame : Frame;

public abstract class DataFrame : Frame;

public abstract class ControlFrame : Frame;

/// <summary>Survives an interruption's flush: the pipeline needs it whatever the caller says.</summary>
public interface IUninterruptible;

public enum FrameDirection { Downstream, Upstream }

// ---- system frames -------------------------------------------------------

/// <summary>Caller audio, one 20 ms mu-law frame. The buffer belongs to the sender and is only valid during processing.</summary>
public sealed class InputAudioFrame(ReadOnlyMemory<byte> mulaw, TimeSpan offset) : SystemFrame
{
    public ReadOnlyMemory<byte> Mulaw { get; set; } = mulaw;
    /// <summary>Position of this audio in the caller's stream.</summary>
    public TimeSpan Offset { get; set; } = offset;
}

/// <summary>
/// A real interruption (caller speech while the agent talks that is long enough, or words that are not a
/// backchannel — <see cref="Stages.BargeInPolicy"/>; or a keypress): cancel the reply, flush queues, send Twilio
/// <c>clear</c> unless a pause already did, keep what was heard.
/// </summary>
public sealed class InterruptionFrame : SystemFrame
{
    public static readonly InterruptionFrame Instance = new();
}

/// <summary>
/// Caller sound began while the agent talks (<see cref="Stages.BargeInPolicy"/>): the output sends <c>clear</c> and
/// holds the reply — nothing is cancelled yet, the agent keeps producing — until a resume or an interruption decides.
/// </summary>
public sealed class PauseReplyFrame : SystemFrame
{
    public static readonly PauseReplyFrame Instance = new();
}

/// <summary>The sound that paused the reply ended too short to interrupt: play on from where the caller stopped hearing it (<see cref="Stages.BargeInPolicy"/>).</summary>
public sealed class ResumeReplyFrame : SystemFrame
{
    public static readonly ResumeReplyFrame Instance = new();
}

public sealed class UserStartedSpeakingFrame(TimeSpan offset) : SystemFrame
{
    public TimeSpan Offset { get; } = offset;
}

public sealed class UserStoppedSpeakingFrame(TimeSpan offset) : SystemFrame
{
    public TimeSpan Offset { get; } = offset;
}

public sealed class BotStartedSpeakingFrame : SystemFrame
{
    public static readonly BotStartedSpeakingFrame Instance = new();
}

public sealed class BotStoppedSpeakingFrame : SystemFrame
{
    public static readonly BotStoppedSpeakingFrame Instance = new();
}

/// <summary>Interim or final words from speech-to-text.</summary>
public sealed class TranscriptionFrame(string text, bool isFinal, bool speechFinal, TimeSpan start, TimeSpan end) : SystemFrame
{
    public string Text { get; } = text;
    public bool IsFinal { get; } = isFinal;
    public bool SpeechFinal { get; } = speechFinal;
    public TimeSpan Start { get; } = start;
    public TimeSpan End { get; } = end;
}

public sealed class UtteranceEndFrame(TimeSpan lastWordEnd) : SystemFrame
{
    public TimeSpan LastWordEnd { get; } = lastWordEnd;
}

/// <summary>Twilio echoed a mark: the audio queued before it has been played (or discarded by a clear).</summary>
public sealed class MarkPlayedFrame(string name) : SystemFrame
{
    public string Name { get; } = name;
}

public sealed class DtmfFrame(char digit) : SystemFrame
{
    public char Digit { get; } = digit;
}

/// <summary>A provider failed; the LLM stage apologises and offers a human.</summary>
public sealed class ErrorFrame(string source, string message) : SystemFrame
{
    public string Source { get; } = source;
    public string Message { get; } = message;
}

/// <summary>Pushed upstream by the output when an agent turn ends, carrying only what the caller heard.</summary>
public sealed class AgentTurnHeardFrame(string heardText, bool interrupted) : SystemFrame
{
    public string HeardText { get; } = heardText;
    public bool Interrupted { get; } = interrupted;
}

// ---- data frames ---------------------------------------------------------

/// <summary>A complete caller turn, ready for the agent.</summary>
public sealed class UserTurnFrame(string text, TimeSpan start, TimeSpan end, TimeSpan sttLatency) : DataFrame
{
    public string Text { get; } = text;
    public TimeSpan Start { get; } = start;
    public TimeSpan End { get; } = end;
    /// <summary>Caller end of speech → final transcript.</summary>
    public TimeSpan SttLatency { get; } = sttLatency;
    /// <summary>When the turn was handed to the agent (TimeProvider timestamp), for latency accounting.</summary>
    public long HandedOverAt { get; init; }
}

/// <summary>A piece of streamed LLM text.</summary>
public sealed class LlmTextFrame(string text) : DataFrame
{
    public string Text { get; } = text;
}

/// <summary>One sentence to speak (the splitter's output, or a fixed phrase such as a filler or the greeting).</summary>
public sealed class SpeakSentenceFrame(string text) : DataFrame
{
    public string Text { get; } = text;
}

/// <summary>Synthesised audio for a sentence (raw mu-law, any length).</summary>
/// <param name="pooled">The <see cref="Stages.AudioChunkPool"/> buffer behind <paramref name="mulaw"/>, returned once it is sent.</param>
public sealed class OutputAudioFrame(ReadOnlyMemory<byte> mulaw, byte[]? pooled = null) : DataFrame
{
    public ReadOnlyMemory<byte> Mulaw { get; } = mulaw;
    public byte[]? Pooled { get; } = pooled;
}

/// <summary>End of a sentence's audio: the output sends a Twilio <c>mark</c> so we learn when it was played.</summary>
public sealed class SentenceAudioEndFrame(string text) : DataFrame
{
    public string Text { get; } = text;
}

// ---- control frames ------------------------------------------------------

/// <summary>
/// An agent reply begins. <paramref name="cause"/> is the caller turn it answers, which its latencies are measured
/// from; null for words nobody asked for (the greeting, an idle prompt, a notice), which have no latency.
/// </summary>
public sealed class AgentReplyStartedFrame(ReplyCause? cause) : ControlFrame
{
    /// <summary>A reply that answers no caller turn: its turn is saved without latency figures.</summary>
    public static readonly AgentReplyStartedFrame Unprompted = new(null);

    public ReplyCause? Cause { get; } = cause;
}

public sealed class AgentReplyEndedFrame : ControlFrame
{
    public static readonly AgentReplyEndedFrame Instance = new();
}

/// <summary>
/// The agent decided to hand the call to a person; uninterruptible so the caller cannot cancel it by talking. It
/// travels behind the reply's words; the output end carries it out (<see cref="Calls.ICallControl"/>) and reports
/// back upstream with a <see cref="TransferUpdateFrame"/>.
/// </summary>
/// <param name="whisper">Warm transfer: the sentence the person hears before being connected; null for a cold one.</param>
public sealed class TransferCallFrame(string reason, string? whisper = null) : ControlFrame, IUninterruptible
{
    public string Reason { get; } = reason;
    public string? Whisper { get; } = whisper;
}

/// <summary>Hang up once everything queued before it has been spoken; the output end reports <see cref="CallEndedFrame"/> upstream.</summary>
public sealed class EndCallFrame(string reason) : ControlFrame, IUninterruptible
{
    public string Reason { get; } = reason;
}

public sealed record ToolCallRecord(string Name, string Arguments, string Result);

// ---- call control results (control) -------------------------------------
// Pushed upstream by the output end once it has carried out an end or a transfer; the session applies them to its
// CallState, and the agent stage reacts to a refused transfer.

/// <summary>Where a transfer stands: asked of the phone network, taken by it (the stream stops next), or refused.</summary>
public sealed class TransferUpdateFrame(string reason, TransferProgress progress, string? failureReason = null) : SystemFrame
{
    public string Reason { get; } = reason;
    public TransferProgress Progress { get; } = progress;
    public string? FailureReason { get; } = failureReason;
}

/// <summary>The agent's last words have been played out and the call is to end now (the host closes the stream).</summary>
public sealed class CallEndedFrame(string reason) : SystemFrame
{
    public string Reason { get; } = reason;
}

// ---- bargein: the VAD's voice edges, which the barge-in policy reads -----------------------------

/// <summary>
/// The VAD heard an unbroken <see cref="VoiceOptions.BargeInOnsetMs"/> of caller sound (a click is shorter): sent
/// after the audio frame that confirmed it. Unlike <see cref="UserStartedSpeakingFrame"/> (turn taking), it comes
/// again for each burst of sound inside an utterance.
/// </summary>
public sealed class VoiceStartedFrame : SystemFrame
{
    public static readonly VoiceStartedFrame Instance = new();
}

/// <summary>
/// The caller's sound stopped: sent once it has been quiet for a short gap (longer than the breath between words),
/// which <see cref="QuietFor"/> says, so the sound ended that long before the audio frame this follows.
/// </summary>
public sealed class VoiceStoppedFrame(TimeSpan quietFor) : SystemFrame
{
    public TimeSpan QuietFor { get; } = quietFor;
}

// ---- speculative replies (added by helper "speculative", issue 11) --------------------------------------------

/// <summary>
/// The VAD heard <see cref="VoiceOptions.SpeculationPauseMs"/> of silence inside an utterance: the turn may be ending
/// (it ends for good at <see cref="VoiceOptions.SilenceMs"/>). The turn aggregator starts a speculative reply on it.
/// </summary>
public sealed class UserPausedFrame(TimeSpan offset) : SystemFrame
{
    /// <summary>End of the last voiced audio before the pause.</summary>
    public TimeSpan Offset { get; } = offset;
}

/// <summary>Speech came back after a <see cref="UserPausedFrame"/> before the turn ended: a speculation on it is stale.</summary>
public sealed class UserResumedSpeakingFrame : SystemFrame
{
    public static readonly UserResumedSpeakingFrame Instance = new();
}

/// <summary>
/// The caller paused with these words heard so far (interim): the agent may start its reply to them, held back
/// until the final transcript confirms them (<see cref="Stages.SpeculativeReply"/>). A newer one replaces it.
/// </summary>
public sealed class SpeculateReplyFrame(string text) : SystemFrame
{
    public string Text { get; } = text;
}

// ---- reply timing marks (helper "voicefix", issue 11) -----------------------------------------------------------
// Each stage puts its mark into the frames it emits; only the output stage (the last to see a reply) records them,
// on the turn it is playing (Stages/ReplyTimings.cs). They travel in order with the reply's words, so a mark always
// reaches the output before the audio it precedes.

/// <summary>The caller turn an agent reply answers: latencies are measured from the caller's end of speech.</summary>
/// <param name="HandedOverAt">When the turn was handed to the agent (TimeProvider timestamp).</param>
/// <param name="SttLatency">Caller end of speech → final transcript.</param>
public sealed record ReplyCause(long HandedOverAt, TimeSpan SttLatency);

public enum ReplyMark { LlmFirstToken, TtsFirstByte }

/// <summary>A stage reached a point of the current reply at <see cref="At"/> (TimeProvider timestamp): first model token, first synthesised byte.</summary>
public sealed class ReplyMarkFrame(ReplyMark mark, long at) : DataFrame
{
    public ReplyMark Mark { get; } = mark;
    public long At { get; } = at;
}

/// <summary>
/// The agent ran a tool for the current reply; the output lists it on the reply's turn. Uninterruptible: the tool has
/// run (a showing booked, a lead updated) whether or not the caller let the reply finish, so the saved turns must say so.
/// </summary>
public sealed class ToolCalledFrame(ToolCallRecord call) : DataFrame, IUninterruptible
{
    public ToolCallRecord Call { get; } = call;
}

// ---- input transport (added by helper "transport", issue 11) ---------------------------------------------------

/// <summary>
/// No caller audio has come in for <see cref="SilentFor"/> (the input transport's clock; sent every
/// <see cref="Transport.MediaStreamInput.GapTick"/> while it lasts). The caller's audio is the barge-in policy's
/// clock: without this, a reply paused by the caller's sound would stay paused if the stream stopped. The VAD takes
/// the gap as quiet (a voice ends at its start); the barge-in stage moves its clock on by it.
/// </summary>
public sealed class CallerAudioGapFrame(TimeSpan silentFor) : SystemFrame
{
    /// <summary>Time since the last caller audio frame arrived.</summary>
    public TimeSpan SilentFor { get; } = silentFor;
}

/// <summary>
/// Speech-to-text lost its connection and is replaying the caller's audio to a new one (<see cref="Recovering"/>
/// true), or the new one answered (false). Words still owed for the caller's turn are coming: the turn waits for
/// them rather than ending on an interim; the outage notice and give-up bound the wait.
/// </summary>
public sealed class SpeechRecognitionRecoveryFrame(bool recovering) : SystemFrame
{
    public bool Recovering { get; } = recovering;
}

// ---- call ending (added by helper "faults", session 7) ------------------------------------------------------------

/// <summary>
/// The TTS stage is about to send a sentence's first audio. The output stage then knows what is playing before the
/// sentence's end arrives (<see cref="SentenceAudioEndFrame"/> follows its last audio), so a call that ends while the
/// sentence plays still saves it as said.
/// </summary>
public sealed class SentenceAudioStartFrame(string text) : DataFrame
{
    public string Text { get; } = text;
}
