using System.Globalization;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Applies one logged event to the calls table (and the recording to blob storage). Safe to run more than once for
/// the same event: the blob name is fixed per event and every update sets values rather than adding to them.
/// </summary>
public sealed class PostCallProcessor(
    AppDbContext db, ElevenLabsCallResolver resolver, IBlobStore blobs, ElevenLabsAudioDownloader downloader,
    ElevenLabsOptions options, CallAnalysisQueue analyses, TimeProvider time, ILogger<PostCallProcessor> logger)
{
    private const int MaxTurnText = 8000;

    /// <summary>
    /// Turn rows kept per call; the transcript text keeps every turn. An hour-long call with a turn every 4 s is ~900
    /// turns, so only an abnormal (or hostile) payload is cut, and what it writes — and how long it holds SQLite's single
    /// write turn — stays bounded: 1,000 rows are ten 100-row INSERTs.
    /// </summary>
    public const int MaxTurnRows = 1000;

    public Task<ProcessingOutcome> ProcessAsync(ElevenLabsEvent evt, CancellationToken cancellationToken) => evt.Type switch
    {
        ElevenLabsEventTypes.PostCallTranscription => TranscriptionAsync(evt, cancellationToken),
        ElevenLabsEventTypes.PostCallAudio => AudioAsync(evt, cancellationToken),
        ElevenLabsEventTypes.CallStarted => CallStartedAsync(evt, cancellationToken),
        ElevenLabsEventTypes.CallInitiationFailure => InitiationFailureAsync(evt, cancellationToken),
        _ => Task.FromResult(ProcessingOutcome.Ignored($"unknown event type '{evt.Type}'")),
    };

    private async Task<ProcessingOutcome> TranscriptionAsync(ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Call call;
        if (await resolver.TryResolveUntrackedAsync(db, evt, cancellationToken) is { } found)
        {
            // The common case, without EF change tracking: the same changes, written with hand-built SQL.
            call = found.Call;
            var before = call.Id == 0 ? null : CallRowWriter.Snapshot(db, call);
            ApplyTranscription(call, evt, now, callHasTurns: found.HasTurns);
            if (before is null) await CallRowWriter.InsertAsync(db, call, cancellationToken);
            else await CallRowWriter.UpdateAsync(db, call, before, cancellationToken);
        }
        else
        {
            call = await resolver.ResolveAsync(db, evt, cancellationToken);
            var hasTurns = call.Turns.Count > 0 || (call.Id != 0 && await db.CallTurns.AnyAsync(t => t.CallId == call.Id, cancellationToken));
            ApplyTranscription(call, evt, now, hasTurns);
            await SaveAsync(call, cancellationToken);
        }
        logger.LogInformation("elevenlabs_post_call_transcription_processed {CallSid} {CallId} turns={Turns}", call.CallSid, call.Id, evt.Turns.Count);
        if (evt.Turns.Count > MaxTurnRows)
            logger.LogWarning("elevenlabs_transcript_turns_capped {CallSid} turns={Turns} rows={Rows} (the transcript text keeps them all)", call.CallSid, evt.Turns.Count, MaxTurnRows);
        // Every finished call gets an analysis row and its end-of-call report (queued in this event's transaction, once per
        // call): one ElevenLabs summarised is analysed from that summary without a model call; one without gets ours.
        if (call.Id != 0) await analyses.EnqueueWithAsync(db, call.Id, cancellationToken);
        return ProcessingOutcome.Processed();
    }

    /// <summary>What a transcription sets on its call: transcript, summary, caller name, reception, turns when the call has none, and <see cref="Finish"/>.</summary>
    private static void ApplyTranscription(Call call, ElevenLabsEvent evt, DateTimeOffset now, bool callHasTurns)
    {
        call.ConversationId ??= evt.ConversationId;
        if (evt.TranscriptText is { } text) call.TranscriptText = text;
        if (evt.Summary is { } summary) call.TranscriptSummary = summary;
        if ((evt.CollectedCallerName ?? TranscriptRendering.ExtractCallerName(evt.Turns, evt.TranscriptText)) is { } name)
            call.CallerUsername = name.Length > 200 ? name[..200] : name;
        if (evt.TranscriptText is not null || evt.Summary is not null)
        {
            call.ReceptionStatus = "received";
            call.ReceptionTimestamp = now;
        }
        if (evt.Turns.Count > 0 && !callHasTurns) AddTurns(call, evt, now);
        Finish(call, evt, now);
    }

    private async Task<ProcessingOutcome> AudioAsync(ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        if (evt.AudioInvalid)
        {
            logger.LogError("elevenlabs_webhook_invalid_audio {EventKey}: audio is not valid base64", evt.EventKey);
            return ProcessingOutcome.Permanent("audio is not valid base64");
        }
        byte[] audio;
        try
        {
            audio = evt.Audio ?? (evt.AudioUrl is { } url ? await downloader.DownloadAsync(url, cancellationToken)
                : throw new AudioUnavailableException("post_call_audio carries neither audio nor an audio URL", permanent: true));
        }
        catch (AudioUnavailableException e)
        {
            logger.LogError("elevenlabs_audio_download_failed {EventKey}: {Error}", evt.EventKey, e.Message);
            return e.Permanent ? ProcessingOutcome.Permanent(e.Message, AudioUnavailableException.ReplyError) : ProcessingOutcome.Retryable(e.Message);
        }
        if (audio.Length > options.MaxAudioBytes)
            return ProcessingOutcome.Permanent($"audio is {audio.Length} bytes, over the {options.MaxAudioBytes}-byte limit");

        var blobName = BlobName(evt);
        try
        {
            await blobs.UploadAsync(blobName, new MemoryStream(audio, writable: false), "audio/mpeg", new Dictionary<string, string>
            {
                ["source"] = "elevenlabs", ["event_type"] = ElevenLabsEventTypes.PostCallAudio, ["call_sid"] = evt.EventKey,
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "elevenlabs_recording_upload_failed {EventKey} {BlobName}", evt.EventKey, blobName);
            return ProcessingOutcome.Retryable($"recording upload failed: {e.Message}");
        }

        var call = await resolver.ResolveAsync(db, evt, cancellationToken);
        var now = time.GetUtcNow();
        call.RecordingBlobName = blobName;
        call.RecordingUrl = null;
        if (evt.DurationInvalid) logger.LogWarning("elevenlabs_recording_duration_invalid {EventKey}", evt.EventKey);
        call.RecordingDurationSeconds = evt.DurationSeconds ?? call.RecordingDurationSeconds ?? call.DurationSeconds;
        Finish(call, evt, now);
        await SaveAsync(call, cancellationToken);
        logger.LogInformation("elevenlabs_post_call_audio_processed {CallSid} {CallId} {BlobName} bytes={Bytes}", call.CallSid, call.Id, blobName, audio.Length);
        // The recording is safe in storage now: keep the event for inspection without its megabytes of base64.
        return ProcessingOutcome.Processed(audioStoredAs: $"[stored as blob {blobName}, {audio.Length} bytes]");
    }

    private async Task<ProcessingOutcome> CallStartedAsync(ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        var call = await resolver.ResolveAsync(db, evt, cancellationToken);
        if (call.Status is CallStatus.Queued or CallStatus.Ringing) call.Status = CallStatus.InProgress;
        call.AnsweredAt ??= evt.EventTime;
        call.UpdatedAt = time.GetUtcNow();
        await SaveAsync(call, cancellationToken);
        logger.LogInformation("elevenlabs_call_started_processed {CallSid} {CallId}", call.CallSid, call.Id);
        return ProcessingOutcome.Processed();
    }

    private async Task<ProcessingOutcome> InitiationFailureAsync(ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        var call = await resolver.ResolveAsync(db, evt, cancellationToken);
        var now = time.GetUtcNow();
        call.Status = CallStatus.Failed;
        var reason = evt.FailureReason ?? "unknown";
        call.FailureReason = reason.Length > 500 ? reason[..500] : reason;
        call.Outcome ??= reason.StartsWith("no-answer", StringComparison.Ordinal) ? CallOutcome.NoAnswer : CallOutcome.Failed;
        call.EndedAt ??= evt.EventTime;
        call.WebhookProcessedAt = now;
        call.UpdatedAt = now;
        await SaveAsync(call, cancellationToken);
        logger.LogInformation("elevenlabs_call_initiation_failure_processed {CallSid} {CallId} {Reason}", call.CallSid, call.Id, reason);
        return ProcessingOutcome.Processed();
    }

    /// <summary>What both post-call events set: processed time, end time and duration when unknown, and a finished status.</summary>
    private static void Finish(Call call, ElevenLabsEvent evt, DateTimeOffset now)
    {
        call.WebhookProcessedAt = now;
        call.DurationSeconds ??= evt.DurationSeconds;
        call.EndedAt ??= call.DurationSeconds is { } seconds && call.StartedAt != default ? call.StartedAt.AddSeconds(seconds) : evt.EventTime;
        if (call.Status is CallStatus.Queued or CallStatus.Ringing or CallStatus.InProgress) call.Status = CallStatus.Completed;
        call.UpdatedAt = now;
    }

    /// <summary>The first <see cref="MaxTurnRows"/> turns as rows; each ends where the next timed turn starts (else at the call's end).</summary>
    private static void AddTurns(Call call, ElevenLabsEvent evt, DateTimeOffset now)
    {
        var count = Math.Min(evt.Turns.Count, MaxTurnRows);
        // Next start seen from each turn, found walking backwards once (a forward search per turn is quadratic when few turns are timed).
        var nextStart = new int?[count];
        int? later = evt.Turns.Skip(count).Select(t => t.StartSeconds).FirstOrDefault(s => s is not null);
        for (var i = count - 1; i >= 0; i--)
        {
            nextStart[i] = later;
            later = evt.Turns[i].StartSeconds ?? later;
        }
        for (var i = 0; i < count; i++)
        {
            var turn = evt.Turns[i];
            var startMs = (turn.StartSeconds ?? 0) * 1000;
            var endMs = nextStart[i] is { } next ? Math.Max(startMs, next * 1000) : evt.DurationSeconds is { } d ? Math.Max(startMs, d * 1000) : startMs;
            call.Turns.Add(new CallTurn
            {
                Sequence = i, Speaker = turn.Speaker, Text = turn.Text.Length > MaxTurnText ? turn.Text[..MaxTurnText] : turn.Text,
                StartMs = startMs, EndMs = endMs, Interrupted = turn.Interrupted, ToolCallsJson = turn.ToolCallsJson, CreatedAt = now,
            });
        }
    }

    /// <summary>Saves, then points recording_url at our own authenticated endpoint now that the call has an id.</summary>
    private async Task SaveAsync(Call call, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        if (call.RecordingBlobName is not null && call.RecordingUrl is null)
        {
            call.RecordingUrl = $"/calls/{call.Id.ToString(CultureInfo.InvariantCulture)}/recording";
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>elevenlabs/YYYY-MM-DD/&lt;call_sid&gt;_&lt;event_timestamp&gt;.mp3, from the event alone so every retry writes the same blob.</summary>
    public static string BlobName(ElevenLabsEvent evt)
    {
        var safeSid = new string(evt.EventKey.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return $"elevenlabs/{evt.EventTime.UtcDateTime:yyyy-MM-dd}/{safeSid}_{evt.EventTimestamp.ToString(CultureInfo.InvariantCulture)}.mp3";
    }
}
