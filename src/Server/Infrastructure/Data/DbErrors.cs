using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EstateVoice.Server.Infrastructure.Data;

public static class DbErrors
{
    /// <summary>A unique index refused the write, whether it came through SaveChanges or hand-built SQL.</summary>
    public static bool IsUniqueViolation(Exception exception) => ((exception as DbUpdateException)?.InnerException ?? exception) switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
