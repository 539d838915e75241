using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>
/// The recording side of every call the node handles: starts a call's recording with its plan (mode and the caller's
/// state), gives the line the greeting adds (the disclosure, or the consent question), and hands a finished call's
/// WAV to the <see cref="RecordingEncoder"/>.
/// </summary>
public sealed class CallRecordings(RecordingOptions options, RecordingEncoder encoder, TimeProvider time, ILogger<CallRecordings> logger)
{
    public RecordingOptions Options => options;

    /// <summary>A call's recording from its first frame on; null when recording is off (or the temp file cannot be made).</summary>
    public CallRecording? Start(VoiceCall call, CallClock clock)
    {
        var plan = RecordingConsent.Plan(options, call.FromNumber);
        if (plan.Mode == RecordingMode.Off) return null;
        var job = new RecordingJob(call.Id, call.CallSid, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            Path.Combine(options.TempDirectory, RecordingJob.FileName(call.Id, call.CallSid, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))), "");
        try
        {
            return new CallRecording(plan, new CallAudioTap(job.WavPath, () => clock.Now), job);
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
    public RecordingOutcome Finish(CallRecording? recording)
    {
        if (recording is null)
            return options.Mode == RecordingMode.Off
                ? new RecordingOutcome(RecordingStatuses.Off, $"recording is off ({RecordingOptions.ModeVariable}=off)", null)
                : new RecordingOutcome(RecordingStatuses.Failed, "the recording file could not be created", null);
        return recording.Finish();
    }

    public void Store(RecordingJob job) => encoder.Enqueue(job);
}
