using EstateVoice.Server.Infrastructure.Data;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// SQLite allows one writer at a time and Microsoft.Data.Sqlite answers a busy database by sleeping and retrying,
/// which turns a burst of webhooks into long tail latencies. Queueing our own write transactions in-process keeps
/// them from colliding. PostgreSQL needs no gate (row locks and the unique index handle concurrency, also across nodes).
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim writer = new(1, 1);

    public async Task<IDisposable?> EnterAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return null;
        await writer.WaitAsync(cancellationToken);
        return new Release(writer);
    }

    private sealed class Release(SemaphoreSlim writer) : IDisposable
    {
        private int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) writer.Release();
        }
    }
}
