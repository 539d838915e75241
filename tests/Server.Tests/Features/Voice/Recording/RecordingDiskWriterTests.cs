using System.Diagnostics;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Win32.SafeHandles;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>The node's one recording writer: taps hand it pieces and never wait for the disk.</summary>
public sealed class RecordingDiskWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A disk that writes, remembers where, and can be held still (a disk far too slow for the calls).</summary>
    private sealed class HeldSink : IRecordingFileSink
    {
        private readonly RandomAccessFileSink _disk = new();
        public readonly ManualResetEventSlim Open = new(true);
        public readonly List<(SafeFileHandle File, long Offset, int Length)> Writes = [];

        public void Write(SafeFileHandle file, ReadOnlySpan<byte> bytes, long offset)
        {
            Open.Wait();
            lock (Writes) Writes.Add((file, offset, bytes.Length));
            _disk.Write(file, bytes, offset);
        }
    }

    private static byte[] Frame(byte value) => Enumerable.Repeat(value, MuLaw.FrameBytes).ToArray();

    [Fact]
    public async Task Two_calls_pieces_are_written_in_each_calls_order_off_the_audio_thread_and_the_WAVs_are_byte_exact()
    {
        var sink = new HeldSink();
        await using var writer = new RecordingDiskWriter(64, sink);
        var now = TimeSpan.Zero;
        var a = Path.Combine(_dir, "a.wav");
        var b = Path.Combine(_dir, "b.wav");
        using (var tapA = new CallAudioTap(a, () => now, writer))
        using (var tapB = new CallAudioTap(b, () => now, writer))
        using (var reference = new CallAudioTap(Path.Combine(_dir, "ref.wav"), () => now, new RecordingDiskWriter()))
        {
            for (var n = 0; n < 500; n++) // 10 s each, well past the 2 s window: many 8 kB pieces interleaved
            {
                now = TimeSpan.FromMilliseconds(n * 20);
                tapA.Caller(Frame((byte)(n % 251)), now);
                tapB.Agent(Frame((byte)(n % 13 + 1)));
                reference.Caller(Frame((byte)(n % 251)), now);
            }
            await Task.WhenAll(tapA.CompleteAsync(), tapB.CompleteAsync(), reference.CompleteAsync());
            Assert.Equal(0, tapA.LostSamples);
        }
        List<(SafeFileHandle File, long Offset, int Length)> writes;
        lock (sink.Writes) writes = [.. sink.Writes];
        foreach (var file in writes.Select(w => w.File).Distinct())
        {
            var offsets = writes.Where(w => w.File == file && w.Offset > 0).ToList();
            Assert.True(offsets.Count >= 9);
            for (var i = 1; i < offsets.Count; i++) Assert.Equal(offsets[i - 1].Offset + offsets[i - 1].Length, offsets[i].Offset);
        }
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_dir, "ref.wav")), await File.ReadAllBytesAsync(a));
        var right = (await File.ReadAllBytesAsync(b))[WavHeader.Length..].Where((_, i) => i % 2 == 1).ToArray();
        for (var n = 0; n < 500; n += 37) Assert.Equal(Frame((byte)(n % 13 + 1)), right[(n * 160)..(n * 160 + 160)]);
    }

    [Fact]
    public async Task A_disk_that_does_not_answer_makes_the_tap_drop_not_block_and_the_row_says_what_was_lost()
    {
        var sink = new HeldSink();
        await using var writer = new RecordingDiskWriter(2, sink);
        var now = TimeSpan.Zero;
        var job = new RecordingJob(1, "CA1", new DateOnly(2026, 12, 3), Path.Combine(_dir, "1.wav"), "");
        using var recording = new CallRecording(new RecordingPlan(RecordingMode.Disclose, "caller in TX"), new CallAudioTap(job.WavPath, () => now, writer), job);
        sink.Open.Reset(); // every write waits until the disk answers again

        // 20 s of a call's audio on the audio thread while the disk answers nothing: it must come straight back.
        var clock = Stopwatch.StartNew();
        await Task.Run(() =>
        {
            for (var n = 0; n < 1000; n++)
            {
                now = TimeSpan.FromMilliseconds(n * 20);
                recording.Tap!.Caller(Frame((byte)(n % 200 + 1)), now);
                recording.Tap.Agent(Frame(0x42));
            }
        }).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the tap took {clock.Elapsed} with the disk held");
        Assert.True(recording.Tap!.LostSamples > 8 * MuLaw.SampleRate, $"lost {recording.Tap.LostSamples} samples");
        Assert.True(writer.Dropped > 0);

        var finishing = recording.FinishAsync();
        Assert.False(finishing.IsCompleted); // the ending waits for this call's pieces to reach the disk
        sink.Open.Set();
        var outcome = await finishing.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RecordingStatuses.Pending, outcome.Status);
        var lostMs = (long)recording.Tap.Lost.TotalMilliseconds;
        Assert.StartsWith($"incomplete: {lostMs} ms lost, disk too slow", outcome.Reason);
        Assert.Equal(outcome.Reason, outcome.Job!.Reason);
        // The file keeps the call's timeline: full length, dropped pieces silent, not zero bytes.
        var bytes = await File.ReadAllBytesAsync(job.WavPath);
        Assert.Equal(WavHeader.Length + 1000 * 160 * 2, bytes.Length);
        Assert.DoesNotContain((byte)0, bytes[WavHeader.Length..]);
    }
}
