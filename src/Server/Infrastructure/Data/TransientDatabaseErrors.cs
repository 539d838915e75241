using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// Failures that say "the database is briefly unavailable", not "this request is wrong": PostgreSQL restarting or
/// unreachable, a pool that cannot hand out a connection in time, SQLite busy or locked, a full disk. Callers answer
/// 503 with Retry-After instead of a 500. Looks through wrappers (DbUpdateException, EF's RetryLimitExceededException).
/// </summary>
public static class TransientDatabaseErrors
{
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.IsTransient || IsTransientSqlState(postgres.SqlState);
                case SqliteException sqlite:
                    // SQLITE_BUSY, SQLITE_LOCKED; SQLITE_FULL (the disk is full: nothing was written, it works again
                    // once space is freed — like PostgreSQL's 53100, a 503 for the sender to retry, not a 500).
                    return sqlite.SqliteErrorCode is 5 or 6 or 13;
                case DbException { IsTransient: true }:
                    return true; // Npgsql: the connection broke, was refused, or the pool timed out
            }
        }
        return false;
    }

    // 08 connection exception, 53 insufficient resources, 57P01-57P05 admin/crash shutdown, cannot connect now, idle timeouts.
    private static bool IsTransientSqlState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P0", StringComparison.Ordinal);
}
