using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// SQLite's async API runs synchronously: a query awaited on a socket's I/O thread (where continuations run, see
/// <see cref="Configuration.SocketCompletions"/>) would hold that thread, and every socket it serves, for the
/// query's whole duration. Opening a connection from such a thread first moves the work to the thread pool.
/// Thread-pool callers (request handlers, stage loops) pay nothing.
/// </summary>
public sealed class SqliteOffIoThread : DbConnectionInterceptor
{
    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (!Thread.CurrentThread.IsThreadPoolThread) await Task.Yield();
        return result;
    }
}
