using System.Globalization;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>The recording status a call row carries (<c>recording_status</c>) and why (<c>recording_status_reason</c>).</summary>
public static class RecordingStatuses
{
    public const string Recorded = "recorded";
    public const string Pending = "pending";
    public const string Declined = "declined";
    public const string Off = "off";
    public const string Failed = "failed";
    public const int MaxStatus = 16;
    public const int MaxReason = 200;
}

/// <summary>What the end of a call says of its recording: the row's status now, and the file left to store (if any).</summary>
public sealed record RecordingOutcome(string Status, string Reason, RecordingJob? Job);

/// <summary>
/// A finished stream's WAV waiting to be encoded and stored. The temp file's name carries all of it (a restart finds it
/// again). <paramref name="Offset"/> is where the stream starts on the call's clock: zero, or for a stream resumed after
/// a failed transfer the time since the call's first stream started; it is joined to what the call has stored there.
/// </summary>
public sealed record RecordingJob(int CallId, string CallSid, DateOnly Date, string WavPath, string Reason, TimeSpan Offset = default)
{
    public static string FileName(int callId, string callSid, DateOnly date, TimeSpan offset = default) =>
        offset <= TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"{callId}_{date:yyyyMMdd}_{SafeSid(callSid)}.wav")
            : string.Create(CultureInfo.InvariantCulture, $"{callId}_{date:yyyyMMdd}_{SafeSid(callSid)}_{(long)offset.TotalMilliseconds}.wav");

    /// <summary>
    /// The extension of a WAV whose caller has not (yet) said yes (<c>RECORDING_MODE=ask</c>): renamed to
    /// <c>.wav</c> on the yes, so a node dying before it leaves a file the next start deletes instead of storing.
    /// </summary>
    public const string UnconsentedExtension = ".unconsented-wav";

    /// <summary>Where <paramref name="wavPath"/> is kept until the caller agrees.</summary>
    public static string UnconsentedPath(string wavPath) => Path.ChangeExtension(wavPath, UnconsentedExtension);

    /// <summary>What the row says of a recording deleted because the caller had not agreed when its call was lost.</summary>
    public const string UnconsentedDeleted = "the caller had not agreed to be recorded when the call was lost; the recording was deleted";

    /// <summary>Whether <paramref name="directory"/> holds a WAV of <paramref name="callId"/> whose caller never agreed.</summary>
    public static bool HasUnconsented(string directory, int callId) =>
        Directory.Exists(directory)
        && Directory.EnumerateFiles(directory, callId.ToString(CultureInfo.InvariantCulture) + "_*" + UnconsentedExtension).Any(f => FromFile(f) is not null);

    /// <summary>Deletes the WAVs of <paramref name="callId"/> (every call when null) in <paramref name="directory"/> whose caller never agreed; their call ids.</summary>
    public static IReadOnlyList<int> DeleteUnconsented(string directory, int? callId = null)
    {
        if (!Directory.Exists(directory)) return [];
        var deleted = new List<int>();
        var pattern = (callId is { } id ? id.ToString(CultureInfo.InvariantCulture) + "_" : "") + "*" + UnconsentedExtension;
        foreach (var file in Directory.EnumerateFiles(directory, pattern))
        {
            if (FromFile(file) is not { } job) continue;
            try
            {
                File.Delete(file);
                deleted.Add(job.CallId);
            }
            catch (IOException) { }
        }
        return deleted;
    }

    /// <summary>The job a temp file left by an earlier run stands for; null for a file that is not one of ours.</summary>
    public static RecordingJob? FromFile(string path)
    {
        var parts = Path.GetFileNameWithoutExtension(path).Split('_');
        long offsetMs = 0;
        return parts.Length is 3 or 4 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var id)
               && DateOnly.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
               && (parts.Length == 3 || long.TryParse(parts[3], CultureInfo.InvariantCulture, out offsetMs))
            ? new RecordingJob(id, parts[2], date, path, "recorded (stored after a restart)", TimeSpan.FromMilliseconds(offsetMs))
            : null;
    }

    /// <summary>calls/YYYY-MM-DD/&lt;call_sid&gt;.&lt;ext&gt;, like the ElevenLabs recordings' names.</summary>
    public string BlobName(string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"calls/{Date:yyyy-MM-dd}/{SafeSid(CallSid)}.{extension}");

    private static string SafeSid(string sid) =>
        new(sid.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').Take(64).ToArray());
}

/// <summary>
/// One call's recording while it runs: the plan decided at its start, the tap writing the temp file, and the caller's
/// answer when the plan asks. Audio is tapped from the start whatever the answer will be; the file is kept only if
/// the call may be recorded, deleted otherwise. A stream resumed after a failed transfer is not asked again: it keeps
/// the answer the call's row holds (<paramref name="earlier"/>), and a call declined earlier has no tap at all.
/// Only a caller turn that begins once the <paramref name="question"/> has played out answers it: words spoken over
/// the greeting answer nothing (the caller had not been asked yet).
/// </summary>
public sealed class CallRecording(RecordingPlan plan, CallAudioTap? tap, RecordingJob job, ConsentAnswer? earlier = null, string? question = null) : IDisposable
{
    private const long NotHeard = long.MaxValue;
    /// <summary>
    /// "Played out" is the pacer's estimate, and a caller answers as the last word ends: a turn begun this little before
    /// still answers. (Spoken over the greeting, seconds earlier, it does not.)
    /// </summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromMilliseconds(500);
    private readonly string? _question = question?.Trim();
    private int _answer = (int)(earlier ?? ConsentAnswer.None);
    private int _turnsHeard = earlier is null ? 0 : 1;
    private long _questionHeardAt = NotHeard; // ticks on the call's clock
    private int _consented; // the file carries its .wav name (the caller said yes, or was never to be asked)

    public RecordingPlan Plan => plan;
    public CallAudioTap? Tap => tap;

    public ConsentAnswer Answer => (ConsentAnswer)Volatile.Read(ref _answer);

    /// <summary>An agent turn, as heard: the one that played the question out to its end marks when it was heard.</summary>
    public void AgentSaid(AgentTurnRecord turn)
    {
        if (plan.Mode != RecordingMode.Ask || Interlocked.Read(ref _questionHeardAt) != NotHeard || string.IsNullOrEmpty(_question)) return;
        if (turn.Text.Contains(_question, StringComparison.Ordinal)) Interlocked.Exchange(ref _questionHeardAt, turn.End.Ticks);
    }

    /// <summary>
    /// A caller turn starting at <paramref name="start"/> on the call's clock: the first one that began after the
    /// question was heard answers it (later ones cannot change it); turns before that are not answers.
    /// </summary>
    public void CallerSaid(string text, TimeSpan start)
    {
        var heard = Interlocked.Read(ref _questionHeardAt);
        if (plan.Mode != RecordingMode.Ask || heard == NotHeard || start.Ticks < heard - AnswerGrace.Ticks) return;
        if (Interlocked.Increment(ref _turnsHeard) != 1) return;
        var answer = RecordingConsent.Judge(text);
        Volatile.Write(ref _answer, (int)answer);
        if (answer == ConsentAnswer.Yes) TryNameConsented();
    }

    /// <summary>
    /// The tap's file gets the name a restart stores (it was made under <see cref="RecordingJob.UnconsentedPath"/>
    /// while the caller had not agreed). False if the rename failed (the file stays unconsented).
    /// </summary>
    private bool TryNameConsented()
    {
        if (tap is null || Volatile.Read(ref _consented) == 1 || tap.Path == job.WavPath) return true;
        try
        {
            File.Move(tap.Path, job.WavPath, overwrite: true);
            Volatile.Write(ref _consented, 1);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Where the file is now (its unconsented name until the yes).</summary>
    private string CurrentPath => tap is null || Volatile.Read(ref _consented) == 1 ? job.WavPath : tap.Path;

    /// <summary>
    /// The call has ended: the file is completed (once the node's writer has all its pieces on disk) and kept (a job)
    /// or deleted, and the row's status says why (and how much a disk too slow for the call's audio lost).
    /// </summary>
    public async Task<RecordingOutcome> FinishAsync(CancellationToken cancellationToken = default)
    {
        if (tap is null)
            return new RecordingOutcome(RecordingStatuses.Declined, $"{plan.Caller} had not agreed earlier in the call", null);
        try
        {
            await tap.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Delete();
            return new RecordingOutcome(RecordingStatuses.Failed, Trim("the recording could not be written: " + ex.Message), null);
        }
        if (plan.Mode == RecordingMode.Ask && Answer != ConsentAnswer.Yes)
        {
            Delete();
            return new RecordingOutcome(RecordingStatuses.Declined,
                Answer == ConsentAnswer.No ? $"{plan.Caller} declined"
                : Interlocked.Read(ref _questionHeardAt) == NotHeard ? $"{plan.Caller} was not asked (the question was cut off)"
                : $"{plan.Caller} did not agree (no clear yes)", null);
        }
        if (!TryNameConsented())
        {
            Delete();
            return new RecordingOutcome(RecordingStatuses.Failed, "the recording could not be renamed after the caller agreed", null);
        }
        var reason = plan.Mode == RecordingMode.Ask ? $"{plan.Caller} agreed" : $"{plan.Caller}; the greeting disclosed it";
        if (tap.LostSamples > 0)
            reason = Trim(string.Create(CultureInfo.InvariantCulture, $"incomplete: {(long)tap.Lost.TotalMilliseconds} ms lost, disk too slow; {reason}"));
        return new RecordingOutcome(RecordingStatuses.Pending, reason, job with { Reason = reason });
    }

    public void Dispose() => tap?.Dispose();

    private void Delete()
    {
        tap!.Dispose();
        try { File.Delete(CurrentPath); } catch (IOException) { }
    }

    internal static string Trim(string reason) => reason.Length <= RecordingStatuses.MaxReason ? reason : reason[..RecordingStatuses.MaxReason];
}
