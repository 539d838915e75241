using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>The background encoder with the real ffmpeg and the real local blob store.</summary>
public sealed class RecordingEncoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("encoder-").FullName;
    private readonly RowsSeen _rows = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class RowsSeen : IRecordingRowWriter
    {
        public List<(int CallId, RecordingRow Row)> Written { get; } = [];

        public Task WriteAsync(int callId, RecordingRow row, CancellationToken cancellationToken)
        {
            lock (Written) Written.Add((callId, row));
            return Task.CompletedTask;
        }

        public Task<StoredRecording?> StoredAsync(int callId, CancellationToken cancellationToken)
        {
            lock (Written)
                return Task.FromResult(Written.LastOrDefault(w => w.CallId == callId && w.Row.BlobName is not null) is ({ } _, { BlobName: { } name } row)
                    ? new StoredRecording(name, row.DurationSeconds) : null);
        }
    }

    /// <summary>Two seconds: a 440 Hz caller on the left for the first second, a 1 kHz agent on the right for the second.</summary>
    private async Task<RecordingJob> WriteCallAsync(TimeSpan offset = default)
    {
        var date = new DateOnly(2026, 12, 3);
        var job = new RecordingJob(7, "CA123", date, Path.Combine(_dir, "pending", RecordingJob.FileName(7, "CA123", date, offset)), "caller in CA agreed", offset);
        var now = TimeSpan.Zero;
        using var tap = new CallAudioTap(job.WavPath, () => now);
        var caller = RecordingAudio.Tone(440, 50);
        var agent = RecordingAudio.Tone(1000, 50);
        for (var n = 0; n < 100; n++)
        {
            now = TimeSpan.FromMilliseconds(n * 20);
            if (n < 50) tap.Caller(caller.AsSpan(n * 160, 160), now);
            else tap.Agent(agent.AsSpan((n - 50) * 160, 160));
        }
        await tap.CompleteAsync();
        return job;
    }

    private (RecordingEncoder Encoder, FileSystemBlobStore Blobs) NewEncoder(RecordingFormat format, string ffmpeg = "ffmpeg")
    {
        var options = new RecordingOptions { Format = format, FfmpegPath = ffmpeg, TempDirectory = Path.Combine(_dir, "pending") };
        var blobs = new FileSystemBlobStore(new StorageOptions { LocalDirectory = Path.Combine(_dir, "blobs") });
        return (new RecordingEncoder(options, blobs, _rows, TimeProvider.System, NullLogger<RecordingEncoder>.Instance), blobs);
    }

    private static async Task<byte[]> ReadBlobAsync(IBlobStore blobs, string name)
    {
        await using var blob = await blobs.OpenReadAsync(name, CancellationToken.None);
        Assert.NotNull(blob);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Mp3_is_8kHz_stereo_with_each_party_on_its_channel_and_the_temp_file_is_gone()
    {
        var job = await WriteCallAsync();
        var wavBytes = new FileInfo(job.WavPath).Length;
        var (encoder, blobs) = NewEncoder(RecordingFormat.Mp3);
        await encoder.StoreAsync(job, CancellationToken.None);

        var (callId, row) = Assert.Single(_rows.Written);
        Assert.Equal(7, callId);
        Assert.Equal(new RecordingRow(RecordingStatuses.Recorded, "caller in CA agreed", "calls/2026-12-03/CA123.mp3", 2), row);
        var mp3 = await ReadBlobAsync(blobs, row.BlobName!);
        Assert.Equal("audio/mpeg", (await blobs.GetInfoAsync(row.BlobName!, CancellationToken.None))!.ContentType);
        Assert.Equal("mp3,8000,2", await RecordingAudio.ProbeAsync(mp3));
        Assert.True(mp3.Length < wavBytes / 3, $"MP3 {mp3.Length} bytes from a {wavBytes}-byte WAV");
        var (left, right) = await RecordingAudio.DecodeAsync(mp3);
        // The encoder's delay shifts things a little: compare the middles of each half.
        Assert.True(RecordingAudio.Rms(left, 0.2, 0.8) > 2000 && RecordingAudio.Rms(left, 1.2, 1.8) < 300, "caller on the left, first second");
        Assert.True(RecordingAudio.Rms(right, 1.2, 1.8) > 2000 && RecordingAudio.Rms(right, 0.2, 0.8) < 300, "agent on the right, second second");
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "pending")));
    }

    [Fact]
    public async Task When_ffmpeg_fails_the_wav_is_stored_as_it_is_and_the_row_says_so()
    {
        var job = await WriteCallAsync();
        var wav = await File.ReadAllBytesAsync(job.WavPath);
        var (encoder, blobs) = NewEncoder(RecordingFormat.Mp3, ffmpeg: "/bin/false");
        await encoder.StoreAsync(job, CancellationToken.None);

        var (_, row) = Assert.Single(_rows.Written);
        Assert.Equal(RecordingStatuses.Recorded, row.Status);
        Assert.Equal("calls/2026-12-03/CA123.wav", row.BlobName);
        Assert.Contains("stored as WAV (MP3 encoding failed", row.Reason, StringComparison.Ordinal);
        Assert.Equal(wav, await ReadBlobAsync(blobs, row.BlobName!));
        Assert.Equal("audio/wav", (await blobs.GetInfoAsync(row.BlobName!, CancellationToken.None))!.ContentType);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "pending")));
    }

    [Fact]
    public async Task Wav_format_stores_the_g711_wav_byte_for_byte_without_ffmpeg()
    {
        var job = await WriteCallAsync();
        var wav = await File.ReadAllBytesAsync(job.WavPath);
        var (encoder, blobs) = NewEncoder(RecordingFormat.Wav, ffmpeg: "/nonexistent/ffmpeg");
        await encoder.StoreAsync(job, CancellationToken.None);
        var (_, row) = Assert.Single(_rows.Written);
        Assert.Equal(new RecordingRow(RecordingStatuses.Recorded, "caller in CA agreed", "calls/2026-12-03/CA123.wav", 2), row);
        Assert.Equal(wav, await ReadBlobAsync(blobs, row.BlobName!));
        Assert.Equal("pcm_mulaw,8000,2", await RecordingAudio.ProbeAsync(wav));
    }

    [Fact]
    public async Task A_wav_left_by_an_earlier_run_is_stored_when_the_encoder_starts()
    {
        var job = await WriteCallAsync();
        var (encoder, blobs) = NewEncoder(RecordingFormat.Wav);
        await encoder.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (_rows.Written.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
            var (callId, row) = Assert.Single(_rows.Written);
            Assert.Equal(7, callId);
            Assert.Equal(RecordingStatuses.Recorded, row.Status);
            Assert.NotNull(await blobs.GetInfoAsync("calls/2026-12-03/CA123.wav", CancellationToken.None));
            Assert.False(File.Exists(job.WavPath));
        }
        finally
        {
            await encoder.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(RecordingFormat.Mp3)]
    [InlineData(RecordingFormat.Wav)]
    public async Task A_resumed_part_stored_before_the_first_is_joined_by_it_at_its_place_once(RecordingFormat format)
    {
        var (encoder, blobs) = NewEncoder(format);
        var second = await WriteCallAsync(TimeSpan.FromSeconds(3));
        await encoder.StoreAsync(second, CancellationToken.None); // the first part's upload failed: it comes at the next start
        var first = await WriteCallAsync();
        Assert.Equal(first, RecordingJob.FromFile(first.WavPath)! with { Reason = first.Reason });
        Assert.Equal(second.Offset, RecordingJob.FromFile(second.WavPath)!.Offset);
        var copy = first.WavPath + ".copy";
        File.Copy(first.WavPath, copy);
        await encoder.StoreAsync(first, CancellationToken.None);
        var name = _rows.Written[^1].Row.BlobName!;
        Assert.Equal(_rows.Written[0].Row.BlobName, name);
        var joined = await ReadBlobAsync(blobs, name);
        // A node that stopped between storing and deleting its WAV stores it again at the next start: not twice over.
        File.Move(copy, first.WavPath);
        await encoder.StoreAsync(first, CancellationToken.None);
        Assert.Equal(joined, await ReadBlobAsync(blobs, name));
        Assert.False(File.Exists(first.WavPath));

        var (left, right) = await RecordingAudio.DecodeAsync(joined);
        foreach (var start in new[] { 0.0, 3.0 })
        {
            Assert.True(RecordingAudio.Rms(left, start + 0.2, start + 0.8) > 1000, $"caller at {start} s: {RecordingAudio.Rms(left, start + 0.2, start + 0.8):F0}");
            Assert.True(RecordingAudio.Rms(right, start + 1.2, start + 1.8) > 1000, $"agent at {start + 1} s: {RecordingAudio.Rms(right, start + 1.2, start + 1.8):F0}");
        }
        Assert.True(RecordingAudio.Rms(left, 2.2, 2.8) < 100 && RecordingAudio.Rms(right, 2.2, 2.8) < 100, "the gap between the parts is silent");
        Assert.InRange(left.Length / 8000.0, 4.9, 5.3);
        Assert.Equal(5, _rows.Written[^1].Row.DurationSeconds);
    }

    [Fact]
    public async Task A_wav_left_mid_call_by_a_node_that_died_is_stored_whole_at_the_next_start()
    {
        var job = await WriteCallAsync();
        var header = new byte[WavHeader.Length];
        WavHeader.Write(header, 0); // as the tap left it: sizes written only when the call completes
        await using (var file = new FileStream(job.WavPath, FileMode.Open, FileAccess.Write))
            await file.WriteAsync(header);
        var (encoder, blobs) = NewEncoder(RecordingFormat.Mp3);
        await encoder.StoreAsync(RecordingJob.FromFile(job.WavPath)!, CancellationToken.None);
        var (_, row) = Assert.Single(_rows.Written);
        Assert.Equal(("recorded", "recorded (stored after a restart)", 2), (row.Status, row.Reason, row.DurationSeconds));
        var (left, right) = await RecordingAudio.DecodeAsync(await ReadBlobAsync(blobs, row.BlobName!));
        Assert.True(RecordingAudio.Rms(left, 0.2, 0.8) > 1000 && RecordingAudio.Rms(right, 1.2, 1.8) > 1000, "both seconds are in it");
    }
}
