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

    /// <summary>
    /// A foreign key refused the write: a row it refers to was deleted between the request's read and its write (a
    /// property removed while a showing of it is booked). The request raced a deletion; it did not send bad data.
    /// </summary>
    public static bool IsForeignKeyViolation(Exception exception) => ((exception as DbUpdateException)?.InnerException ?? exception) switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 787,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };
}
