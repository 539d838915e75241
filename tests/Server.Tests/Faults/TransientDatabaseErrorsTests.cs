using System.Net.Sockets;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EstateVoice.Server.Tests.Faults;

/// <summary>Which database failures answer 503 (try again) rather than 500 or 409.</summary>
public class TransientDatabaseErrorsTests
{
    public static TheoryData<Exception, bool> Cases => new()
    {
        { new RetryLimitExceededException("retries", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))), true },
        { new DbUpdateException("save", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")), true },
        { new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"), true },
        { new InvalidOperationException("wrapped", new NpgsqlException("Exception while reading from stream", new EndOfStreamException())), true },
        { new DbUpdateException("save", new SqliteException("database is locked", 5)), true },
        { new SqliteException("database table is locked", 6), true },
        { new DbUpdateException("save", new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), false },
        { new DbUpdateException("save", new SqliteException("UNIQUE constraint failed", 19)), false },
        { new PostgresException("syntax error", "ERROR", "ERROR", "42601"), false },
        { new InvalidOperationException("a bug"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies(Exception exception, bool transient) => Assert.Equal(transient, TransientDatabaseErrors.IsTransient(exception));

    [Fact]
    public void A_full_disk_under_SQLite_is_a_try_again_not_a_bug()
    {
        // The error SQLite raises when its file cannot grow (SQLITE_FULL), for real: max_page_count caps the file
        // the way a full disk does (DATA_DIR holds both the database and the recordings by default).
        var path = Path.Combine(Path.GetTempPath(), $"estate-full-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x BLOB); PRAGMA max_page_count = 3;";
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO t VALUES (zeroblob(100000))";
            var full = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());

            Assert.Equal(13, full.SqliteErrorCode);
            Assert.True(TransientDatabaseErrors.IsTransient(new DbUpdateException("save", full)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
