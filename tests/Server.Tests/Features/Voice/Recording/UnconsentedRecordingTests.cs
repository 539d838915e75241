using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>RECORDING_MODE=ask: a WAV is stored after a restart only if its caller had said yes before the node died.</summary>
public sealed class UnconsentedRecordingTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("unconsented-").FullName;
    private readonly RowsSeen _rows = new();
    private readonly RecordingDiskWriter _writer = new();

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class RowsSeen : IRecordingRowWriter
    {
        public List<(int CallId, RecordingRow Row)> Written { get; } = [];

        public Task WriteAsync(int callId, RecordingRow row, CancellationToken cancellationToken)
        {
            lock (Written) Written.Add((callId, row));
            return Task.CompletedTask;
        }
    }

    private RecordingOptions Options => new() { Mode = RecordingMode.Ask, Format = RecordingFormat.Wav, TempDirectory = Path.Combine(_dir, "pending") };

    private RecordingEncoder NewEncoder() => new(Options, new FileSystemBlobStore(new StorageOptions { LocalDirectory = Path.Combine(_dir, "blobs") }),
        _rows, TimeProvider.System, NullLogger<RecordingEncoder>.Instance);

    private CallRecordings NewRecordings() => new(Options, NewEncoder(), _writer, TimeProvider.System, NullLogger<CallRecordings>.Instance);

    private static AgentTurnRecord Heard(string text, double start, double end) =>
        new(text, text, false, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(end), [], null, null, null, null);

    /// <summary>A California caller (asked), 3 s of audio, the question played out; <paramref name="answer"/> said after it, if any.</summary>
    private async Task<CallRecording> CallThatDiesAsync(int id, string? answer)
    {
        var recording = NewRecordings().Start(new VoiceCall(id, "CA" + id, "+14155550123", null, null), new CallClock(TimeProvider.System))!;
        for (var n = 0; n < 150; n++) recording.Tap!.Caller(Enumerable.Repeat((byte)0x30, MuLaw.FrameBytes).ToArray(), TimeSpan.FromMilliseconds(n * 20));
        recording.AgentSaid(Heard("Hi. " + Options.ConsentQuestion, 0, 2));
        if (answer is not null) recording.CallerSaid(answer, TimeSpan.FromSeconds(2.5));
        // The node dies here: the pieces so far reach the disk, the call is never finished (no row, no rename after).
        await recording.Tap!.CompleteAsync();
        return recording;
    }

    [Fact]
    public async Task A_WAV_whose_caller_had_not_said_yes_is_deleted_at_the_next_start_and_one_that_had_is_stored()
    {
        using var unanswered = await CallThatDiesAsync(1, null);
        using var agreed = await CallThatDiesAsync(2, "Yes, that's fine.");
        var pending = Directory.GetFiles(Options.TempDirectory).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["1_" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "_CA1.unconsented-wav",
            "2_" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "_CA2.wav"], pending);

        var encoder = NewEncoder(); // the restart
        await encoder.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((_rows.Written.Count < 2 || encoder.InFlight > 0) && DateTime.UtcNow < deadline) await Task.Delay(20);
            List<(int CallId, RecordingRow Row)> rows;
            lock (_rows.Written) rows = [.. _rows.Written.OrderBy(w => w.CallId)];
            Assert.Equal([(1, RecordingStatuses.Declined, RecordingJob.UnconsentedDeleted, (string?)null), (2, RecordingStatuses.Recorded, "recorded (stored after a restart)", "wav")],
                rows.Select(r => (r.CallId, r.Row.Status, r.Row.Reason, r.Row.BlobName is null ? null : Path.GetExtension(r.Row.BlobName).TrimStart('.'))).ToList());
            Assert.Empty(Directory.GetFiles(Options.TempDirectory));
            var blobs = Directory.GetFiles(Path.Combine(_dir, "blobs"), "*", SearchOption.AllDirectories);
            Assert.NotEmpty(blobs);
            Assert.All(blobs, b => Assert.Contains("CA2", Path.GetFileName(b), StringComparison.Ordinal)); // nothing of call 1 stored
        }
        finally
        {
            await encoder.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("Yes, go ahead.", RecordingStatuses.Pending)]
    [InlineData("No thanks.", RecordingStatuses.Declined)]
    public async Task A_call_that_ends_normally_keeps_only_a_consented_WAV_under_its_stored_name(string answer, string status)
    {
        using var recording = await CallThatDiesAsync(3, answer);
        var outcome = await recording.FinishAsync();
        Assert.Equal(status, outcome.Status);
        var files = Directory.GetFiles(Options.TempDirectory);
        if (status == RecordingStatuses.Pending) Assert.Equal(outcome.Job!.WavPath, Assert.Single(files));
        else Assert.Empty(files);
    }
}
