using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>
/// The recording side of every call the node handles: starts a call's recording with its plan (mode and the caller's
/// state), gives the line the greeting adds (the disclosure, or the consent question), and hands a finished call's
/// WAV to the <see cref="RecordingEncoder"/>.
/// </summary>
public sealed class CallRecordings(
    RecordingOptions options, RecordingEncoder encoder, RecordingDiskWriter writer, TimeProvider time, ILogger<CallRecordings> logger)
{
    public RecordingOptions Options => options;

    /// <summary>
    /// A call's recording from its first frame on; null when recording is off (or the temp file cannot be made). A
    /// stream resumed after a failed transfer records on from its place on the call's clock, under a file of its own
    /// (the first stream's may still be waiting to be stored), and keeps the consent the row says was given.
    /// </summary>
    public CallRecording? Start(VoiceCall call, CallClock clock, bool resumed = false)
    {
        var plan = RecordingConsent.Plan(options, call.FromNumber);
        if (plan.Mode == RecordingMode.Off) return null;
        var date = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var offset = resumed ? clock.Origin : TimeSpan.Zero;
        var job = new RecordingJob(call.Id, call.CallSid, date,
            Path.Combine(options.TempDirectory, RecordingJob.FileName(call.Id, call.CallSid, date, offset)), "", offset);
        // Asked before the transfer: a part kept (pending, recorded) means the caller said yes; anything else, not.
        ConsentAnswer? earlier = resumed && plan.Mode == RecordingMode.Ask
            ? call.RecordingStatus is RecordingStatuses.Recorded or RecordingStatuses.Pending ? ConsentAnswer.Yes : ConsentAnswer.No
            : null;
        if (earlier == ConsentAnswer.No) return new CallRecording(plan, null, job, earlier);
        try
        {
            // Asked and not yet answered: the file is named unconsented until the yes, so a restart deletes it.
            var path = plan.Mode == RecordingMode.Ask && earlier is null ? RecordingJob.UnconsentedPath(job.WavPath) : job.WavPath;
            return new CallRecording(plan, new CallAudioTap(path, () => clock.Now - clock.Origin, writer), job, earlier,
                plan.Mode == RecordingMode.Ask ? options.ConsentQuestion : null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Call {CallId}: cannot create its recording file; the call is not recorded", call.Id);
            return null;
        }
    }

    /// <summary>What the greeting adds for this call: the disclosure, the consent question, or nothing.</summary>
    public string? OpeningLine(CallRecording? recording) => recording?.Plan.Mode switch
    {
        RecordingMode.Disclose => options.Disclosure,
        RecordingMode.Ask => options.ConsentQuestion,
        _ => null,
    };

    /// <summary>The call has ended: the row's recording status now, and the job to store (after the row is written).</summary>
    public Task<RecordingOutcome> FinishAsync(CallRecording? recording, CancellationToken cancellationToken)
    {
        if (recording is null)
            return Task.FromResult(options.Mode == RecordingMode.Off
                ? new RecordingOutcome(RecordingStatuses.Off, $"recording is off ({RecordingOptions.ModeVariable}=off)", null)
                : new RecordingOutcome(RecordingStatuses.Failed, "the recording file could not be created", null));
        return recording.FinishAsync(cancellationToken);
    }

    public void Store(RecordingJob job) => encoder.Enqueue(job);
}
