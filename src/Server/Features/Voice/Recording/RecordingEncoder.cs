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

    /// <summary>Encodes (or not), uploads, writes the row, deletes the temp files.</summary>
    public async Task StoreAsync(RecordingJob job, CancellationToken cancellationToken)
    {
        if (!File.Exists(job.WavPath)) return;
        var seconds = (int)Math.Round(Math.Max(0, new FileInfo(job.WavPath).Length - WavHeader.Length) / (double)(WavHeader.Channels * Twilio.MuLaw.SampleRate));
        var (path, extension, contentType, reason) = (job.WavPath, "wav", "audio/wav", job.Reason);
        string? mp3 = null;
        if (options.Format == RecordingFormat.Mp3)
        {
            mp3 = Path.ChangeExtension(job.WavPath, ".mp3");
            var failure = await EncodeAsync(job.WavPath, mp3, cancellationToken).ConfigureAwait(false);
            if (failure is null) (path, extension, contentType) = (mp3, "mp3", "audio/mpeg");
            else
            {
                LogEncodeFailed(job.CallId, failure);
                reason = $"{job.Reason}; stored as WAV (MP3 encoding failed: {failure})";
            }
        }
        var blobName = job.BlobName(extension);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                await blobs.UploadAsync(blobName, content, contentType, new Dictionary<string, string>
                {
                    ["source"] = "estate-voice", ["call_sid"] = job.CallSid, ["call_id"] = job.CallId.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
                if (mp3 is not null) File.Delete(mp3);
                return;
            }
        }
        await rows.WriteAsync(job.CallId, new RecordingRow(RecordingStatuses.Recorded, CallRecording.Trim(reason), blobName, seconds), cancellationToken)
            .ConfigureAwait(false);
        File.Delete(job.WavPath);
        if (mp3 is not null) File.Delete(mp3);
        LogStored(job.CallId, blobName, seconds);
    }

    /// <summary>ffmpeg at idle priority; null when the MP3 was written, else why not.</summary>
    private async Task<string?> EncodeAsync(string wav, string mp3, CancellationToken cancellationToken)
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
        foreach (var arg in new[]
                 {
                     "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", wav,
                     "-ac", "2", "-ar", "8000", "-c:a", "libmp3lame", "-compression_level", "9", "-b:a", "24k", mp3,
                 })
            start.ArgumentList.Add(arg);
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
            if (process.ExitCode == 0 && File.Exists(mp3) && new FileInfo(mp3).Length > 0) return null;
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
