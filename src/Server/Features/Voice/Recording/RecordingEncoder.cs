using System.Diagnostics;
using System.Threading.Channels;
using EstateVoice.Server.Features.Storage;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>
/// Turns finished calls' WAVs into stored recordings, after the call and outside its budget: at most
/// <see cref="RecordingOptions.MaxConcurrentEncodes"/> at once, ffmpeg at idle priority (<c>nice -n 19</c>), MP3
/// (8 kHz stereo, 24 kbit/s: every browser plays it, ~4x smaller than the G.711 WAV) or the WAV as it is
/// (<c>RECORDING_FORMAT=wav</c>). ffmpeg failing stores the WAV instead and the row says so: a recording is never
/// lost to its encoding. Temp files go once stored; those an earlier run left (a restart mid-encode) are taken up again
/// at start, so their calls get their recording and status then.
/// </summary>
public sealed partial class RecordingEncoder(
    RecordingOptions options, IBlobStore blobs, IRecordingRowWriter rows, TimeProvider time, ILogger<RecordingEncoder> logger) : BackgroundService
{
    private static readonly TimeSpan[] UploadRetries = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];
    private static readonly TimeSpan EncodeLimit = TimeSpan.FromMinutes(10);
    /// <summary>A call pending this long after it ended, its WAV in no temp folder of this node, lost its recording.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);
    private readonly Channel<RecordingJob> _jobs = Channel.CreateUnbounded<RecordingJob>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _inFlight;

    /// <summary>Jobs queued or running (tests wait for zero).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A finished call's recording, to store when a slot is free.</summary>
    public void Enqueue(RecordingJob job)
    {
        lock (_gate)
            if (!_queued.Add(job.WavPath)) return;
        Interlocked.Increment(ref _inFlight);
        _jobs.Writer.TryWrite(job);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Calls lost before their caller agreed to be recorded: never stored.
        foreach (var callId in RecordingJob.DeleteUnconsented(options.TempDirectory))
        {
            try
            {
                await rows.WriteAsync(callId, new RecordingRow(RecordingStatuses.Declined, RecordingJob.UnconsentedDeleted, null, null), stoppingToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Call {CallId}: its unconsented recording was deleted but its row could not say so", callId);
            }
        }
        if (Directory.Exists(options.TempDirectory))
            foreach (var left in Directory.EnumerateFiles(options.TempDirectory, "*.wav"))
                if (RecordingJob.FromFile(left) is { } job) Enqueue(job);
        try
        {
            var failed = await rows.FailAbandonedAsync(time.GetUtcNow() - AbandonedAfter, stoppingToken).ConfigureAwait(false);
            if (failed > 0) logger.LogWarning("{Count} calls' recordings were lost with the server that held them; marked failed", failed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not check for recordings left pending");
        }
        var workers = Enumerable.Range(0, Math.Max(1, options.MaxConcurrentEncodes)).Select(_ => WorkAsync(stoppingToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await StoreAsync(job, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return; // the WAV stays in the temp folder: the next start stores it
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Storing the recording of call {CallId} failed", job.CallId);
                }
                finally
                {
                    lock (_gate) _queued.Remove(job.WavPath);
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What goes up for a job: the file, its blob name and type, the row's reason and length, the parts it holds.</summary>
    private sealed record Upload(string Path, string BlobName, string ContentType, string Reason, int Seconds, string Parts, string? Temp);

    /// <summary>Encodes (or joins to what the call has stored), uploads, writes the row, deletes the temp files.</summary>
    public async Task StoreAsync(RecordingJob job, CancellationToken cancellationToken)
    {
        if (!File.Exists(job.WavPath)) return;
        WavHeader.Repair(job.WavPath); // off the call's path (the encoder's worker); a no-op for a completed file
        var seconds = (int)Math.Round(job.Offset.TotalSeconds
            + Math.Max(0, new FileInfo(job.WavPath).Length - WavHeader.Length) / (double)(WavHeader.Channels * Twilio.MuLaw.SampleRate));
        Upload? upload;
        var stored = await rows.StoredAsync(job.CallId, cancellationToken).ConfigureAwait(false);
        if (stored is not null && await blobs.OpenReadAsync(stored.BlobName, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            await using (earlier)
                upload = await JoinAsync(job, stored, earlier, Math.Max(seconds, stored.DurationSeconds ?? 0), cancellationToken).ConfigureAwait(false);
            if (upload is null) return;
        }
        else upload = await EncodeAsync(job, seconds, cancellationToken).ConfigureAwait(false);

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var content = new FileStream(upload.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                await blobs.UploadAsync(upload.BlobName, content, upload.ContentType, new Dictionary<string, string>
                {
                    ["source"] = "estate-voice", ["call_sid"] = job.CallSid, ["call_id"] = job.CallId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [RecordingJoin.PartsMetadata] = upload.Parts,
                }, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < UploadRetries.Length)
            {
                logger.LogWarning(ex, "Uploading the recording of call {CallId} failed; retrying", job.CallId);
                await Task.Delay(UploadRetries[attempt], time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The WAV stays in the temp folder: the next start tries again.
                await rows.WriteAsync(job.CallId, new RecordingRow(RecordingStatuses.Failed,
                    CallRecording.Trim($"storage failed, kept on the server for a retry: {ex.Message}"), null, null), cancellationToken).ConfigureAwait(false);
                DeleteTemp(upload.Temp);
                return;
            }
        }
        await rows.WriteAsync(job.CallId, new RecordingRow(RecordingStatuses.Recorded, CallRecording.Trim(upload.Reason), upload.BlobName, upload.Seconds), cancellationToken)
            .ConfigureAwait(false);
        File.Delete(job.WavPath);
        DeleteTemp(upload.Temp);
        LogStored(job.CallId, upload.BlobName, upload.Seconds);
    }

    /// <summary>The call's first (or only) part: MP3, or the WAV as it is (asked for, or ffmpeg failed).</summary>
    private async Task<Upload> EncodeAsync(RecordingJob job, int seconds, CancellationToken cancellationToken)
    {
        var parts = RecordingJoin.Parts(job.Offset);
        var padded = job.Offset > TimeSpan.Zero; // stored before the call's earlier part: it is laid over this one's lead-in
        if (options.Format == RecordingFormat.Mp3)
        {
            var mp3 = Path.ChangeExtension(job.WavPath, ".mp3");
            string[] args = padded
                ? ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", job.WavPath, "-af", $"adelay=delays={(long)job.Offset.TotalMilliseconds}:all=1",
                    "-ac", "2", "-ar", "8000", "-c:a", "libmp3lame", "-compression_level", "9", "-b:a", "24k", mp3]
                : ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", job.WavPath,
                    "-ac", "2", "-ar", "8000", "-c:a", "libmp3lame", "-compression_level", "9", "-b:a", "24k", mp3];
            var failure = await FfmpegAsync(args, mp3, cancellationToken).ConfigureAwait(false);
            if (failure is null) return new Upload(mp3, job.BlobName("mp3"), "audio/mpeg", job.Reason, seconds, parts, mp3);
            LogEncodeFailed(job.CallId, failure);
            File.Delete(mp3);
            if (!padded)
                return new Upload(job.WavPath, job.BlobName("wav"), "audio/wav", $"{job.Reason}; stored as WAV (MP3 encoding failed: {failure})", seconds, parts, null);
        }
        if (!padded) return new Upload(job.WavPath, job.BlobName("wav"), "audio/wav", job.Reason, seconds, parts, null);
        // A later part with nothing stored before it: silence up to its place, so the call's clock holds in the file.
        var wav = Path.ChangeExtension(job.WavPath, ".joined");
        var empty = Path.ChangeExtension(job.WavPath, ".empty");
        var header = new byte[WavHeader.Length];
        WavHeader.Write(header, 0);
        await File.WriteAllBytesAsync(empty, header, cancellationToken).ConfigureAwait(false);
        await RecordingJoin.JoinWavAsync(empty, job.WavPath, job.Offset, wav, cancellationToken).ConfigureAwait(false);
        File.Delete(empty);
        return new Upload(wav, job.BlobName("wav"), "audio/wav", job.Reason, seconds, parts, wav);
    }

    /// <summary>
    /// A later part of a call that has a recording stored (a stream resumed after a failed transfer): laid over it at
    /// its place, same blob, same format. Null when there is nothing to upload (the part is in it already, or joining
    /// failed: the WAV is then kept for the next start and the row says so).
    /// </summary>
    private async Task<Upload?> JoinAsync(RecordingJob job, StoredRecording stored, Storage.OpenedBlob earlier, int seconds, CancellationToken cancellationToken)
    {
        if (RecordingJoin.Holds(RecordingJoin.Parts(earlier.Info.Metadata), job.Offset))
        {
            // Stored before, and the node stopped before deleting the WAV: the row is all that is left to write.
            await rows.WriteAsync(job.CallId, new RecordingRow(RecordingStatuses.Recorded, CallRecording.Trim(job.Reason), stored.BlobName, stored.DurationSeconds),
                cancellationToken).ConfigureAwait(false);
            File.Delete(job.WavPath);
            return null;
        }
        var isMp3 = stored.BlobName.EndsWith(".mp3", StringComparison.Ordinal);
        var previous = Path.ChangeExtension(job.WavPath, isMp3 ? ".stored-mp3" : ".stored-wav");
        var output = Path.ChangeExtension(job.WavPath, isMp3 ? ".joined-mp3" : ".joined-wav");
        string? failure = null;
        try
        {
            await using (var copy = new FileStream(previous, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
                await earlier.Content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            if (isMp3) failure = await FfmpegAsync(RecordingJoin.Mp3Arguments(previous, job.WavPath, job.Offset, output), output, cancellationToken).ConfigureAwait(false);
            else await RecordingJoin.JoinWavAsync(previous, job.WavPath, job.Offset, output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            failure = ex.Message;
        }
        finally
        {
            DeleteTemp(previous);
        }
        if (failure is null)
            return new Upload(output, stored.BlobName, isMp3 ? "audio/mpeg" : "audio/wav", job.Reason, seconds,
                RecordingJoin.Parts(earlier.Info.Metadata, job.Offset), output);
        DeleteTemp(output);
        logger.LogWarning("Call {CallId}: joining a resumed part to its stored recording failed ({Failure}); kept for a retry", job.CallId, failure);
        await rows.WriteAsync(job.CallId, new RecordingRow(RecordingStatuses.Failed,
            CallRecording.Trim($"the part after the failed transfer could not be joined, kept on the server for a retry: {failure}"), null, null),
            cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static void DeleteTemp(string? path)
    {
        if (path is null) return;
        try { File.Delete(path); } catch (IOException) { }
    }

    /// <summary>ffmpeg at idle priority with <paramref name="arguments"/>; null when <paramref name="output"/> was written, else why not.</summary>
    private async Task<string?> FfmpegAsync(string[] arguments, string output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? options.FfmpegPath : "nice",
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (!OperatingSystem.IsWindows())
            foreach (var arg in new[] { "-n", "19", options.FfmpegPath }) start.ArgumentList.Add(arg);
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return "ffmpeg did not start";
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(EncodeLimit);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                return "ffmpeg took too long";
            }
            var errors = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode == 0 && File.Exists(output) && new FileInfo(output).Length > 0) return null;
            return $"exit code {process.ExitCode}" + (errors.Length > 0 ? ": " + errors.Split('\n')[0] : "");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: MP3 encoding failed ({Failure}); storing the WAV")]
    private partial void LogEncodeFailed(int callId, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: recording stored as {BlobName} ({Seconds} s)")]
    private partial void LogStored(int callId, string blobName, int seconds);
}
