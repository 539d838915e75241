using System.Globalization;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>A call row's recording columns, as the encoder leaves them.</summary>
public sealed record RecordingRow(string Status, string Reason, string? BlobName, int? DurationSeconds);

/// <summary>What a call has stored already (a resumed call's later part is joined to it).</summary>
public sealed record StoredRecording(string BlobName, int? DurationSeconds);

public interface IRecordingRowWriter
{
    Task WriteAsync(int callId, RecordingRow row, CancellationToken cancellationToken);

    /// <summary>The recording the call's row names already; null when it has none.</summary>
    Task<StoredRecording?> StoredAsync(int callId, CancellationToken cancellationToken) => Task.FromResult<StoredRecording?>(null);

    /// <summary>
    /// Calls still "pending" that ended before <paramref name="endedBefore"/> and are in no queue: their WAV went with
    /// the node that held it (a replaced container, a lost disk). They are failed, so no call is left without a status.
    /// </summary>
    Task<int> FailAbandonedAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken) => Task.FromResult(0);
}

/// <summary>One UPDATE of the call's recording columns (both databases); the recording is served by <c>/calls/{id}/recording</c>.</summary>
public sealed class EfRecordingRowWriter(IServiceScopeFactory scopes, TimeProvider time) : IRecordingRowWriter
{
    public async Task<int> FailAbandonedAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        // Compared in memory: SQLite stores DateTimeOffset as text, which EF cannot order in SQL. Pending rows are few.
        var pending = await db.Calls.Where(c => c.RecordingStatus == RecordingStatuses.Pending)
            .Select(c => new { c.Id, c.EndedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var abandoned = pending.Where(c => c.EndedAt is { } ended && ended < endedBefore).Select(c => c.Id).ToList();
        if (abandoned.Count == 0) return 0;
        return await db.Calls.Where(c => abandoned.Contains(c.Id) && c.RecordingStatus == RecordingStatuses.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.RecordingStatus, RecordingStatuses.Failed)
            .SetProperty(c => c.RecordingStatusReason, "the recording was lost: the server holding it stopped before storing it")
            .SetProperty(c => c.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredRecording?> StoredAsync(int callId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Calls.AsNoTracking().Where(c => c.Id == callId)
            .Select(c => new { c.RecordingBlobName, c.RecordingDurationSeconds }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.RecordingBlobName is { } name ? new StoredRecording(name, row.RecordingDurationSeconds) : null;
    }

    public async Task WriteAsync(int callId, RecordingRow row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        if (row.BlobName is null)
        {
            await db.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RecordingStatus, row.Status)
                .SetProperty(c => c.RecordingStatusReason, row.Reason)
                .SetProperty(c => c.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
            return;
        }
        var url = "/calls/" + callId.ToString(CultureInfo.InvariantCulture) + "/recording";
        await db.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.RecordingStatus, row.Status)
            .SetProperty(c => c.RecordingStatusReason, row.Reason)
            .SetProperty(c => c.RecordingBlobName, row.BlobName)
            .SetProperty(c => c.RecordingDurationSeconds, row.DurationSeconds)
            .SetProperty(c => c.RecordingUrl, url)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
    }
}
