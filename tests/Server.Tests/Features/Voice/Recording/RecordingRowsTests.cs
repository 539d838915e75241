using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>The recording columns as the encoder writes them, on both databases.</summary>
public sealed class RecordingRowsTests
{
    private static async Task<int> AddCallAsync(AppFactory app, string? recordingStatus, DateTimeOffset? endedAt) =>
        await app.WithDbAsync(async db =>
        {
            var now = app.Time.GetUtcNow();
            var call = new Call
            {
                CallSid = "CA" + Guid.NewGuid().ToString("N"), Direction = CallDirection.Inbound, Status = CallStatus.Completed,
                StartedAt = now.AddHours(-3), EndedAt = endedAt, RecordingStatus = recordingStatus, CreatedAt = now, UpdatedAt = now,
            };
            db.Calls.Add(call);
            await db.SaveChangesAsync();
            return call.Id;
        });

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_stored_recording_fills_the_row_and_pending_calls_whose_wav_is_lost_become_failed(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var now = app.Time.GetUtcNow();
        var stored = await AddCallAsync(app, RecordingStatuses.Pending, now.AddMinutes(-5));
        var lost = await AddCallAsync(app, RecordingStatuses.Pending, now.AddHours(-2));
        var recent = await AddCallAsync(app, RecordingStatuses.Pending, now.AddMinutes(-10));
        var declined = await AddCallAsync(app, RecordingStatuses.Declined, now.AddHours(-2));
        var rows = app.Services.GetRequiredService<IRecordingRowWriter>();

        await rows.WriteAsync(stored, new RecordingRow(RecordingStatuses.Recorded, "caller in CA agreed", "calls/2026-11-25/CA1.mp3", 42), CancellationToken.None);
        Assert.Equal(1, await rows.FailAbandonedAsync(now - RecordingEncoder.AbandonedAfter, CancellationToken.None));

        var calls = await app.WithDbAsync(d => d.Calls.AsNoTracking().ToDictionaryAsync(c => c.Id));
        Assert.Equal((RecordingStatuses.Recorded, "caller in CA agreed", "calls/2026-11-25/CA1.mp3", 42, $"/calls/{stored}/recording"),
            (calls[stored].RecordingStatus, calls[stored].RecordingStatusReason, calls[stored].RecordingBlobName, calls[stored].RecordingDurationSeconds, calls[stored].RecordingUrl));
        Assert.Equal(RecordingStatuses.Failed, calls[lost].RecordingStatus);
        Assert.StartsWith("the recording was lost", calls[lost].RecordingStatusReason, StringComparison.Ordinal);
        Assert.Equal(RecordingStatuses.Pending, calls[recent].RecordingStatus);
        Assert.Equal(RecordingStatuses.Declined, calls[declined].RecordingStatus);

        // The call detail shows it.
        var detail = await app.WithDbAsync(d => CallDetail.LoadAsync(d, d.Calls, stored, CancellationToken.None));
        Assert.Equal(("recorded", "caller in CA agreed"), (detail!.RecordingStatus, detail.RecordingStatusReason));
    }
}
