using System.Globalization;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>A call row's recording columns, as the encoder leaves them.</summary>
public sealed record RecordingRow(string Status, string Reason, string? BlobName, int? DurationSeconds);

public interface IRecordingRowWriter
{
    Task WriteAsync(int callId, RecordingRow row, CancellationToken cancellationToken);
}

/// <summary>One UPDATE of the call's recording columns (both databases); the recording is served by <c>/calls/{id}/recording</c>.</summary>
public sealed class EfRecordingRowWriter(IServiceScopeFactory scopes, TimeProvider time) : IRecordingRowWriter
{
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
