using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Infrastructure.Data;

/// <summary>SQLite writers take turns asynchronously instead of colliding (and sleeping) on the database lock.</summary>
public sealed class SqliteWriteSerializerTests
{
    private static async Task<AppFactory> CreateAppWithScratchTableAsync()
    {
        var app = await AppFactory.CreateAsync(Db.Sqlite);
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("CREATE TABLE scratch (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)"));
        return app;
    }

    [Fact]
    public async Task A_writer_queues_behind_an_open_transaction_longer_than_its_command_timeout_instead_of_failing_busy()
    {
        await using var app = await CreateAppWithScratchTableAsync();
        await using var holderScope = app.Services.CreateAsyncScope();
        var holder = holderScope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('holder')");

        // Without the queue, Microsoft.Data.Sqlite retries a locked database until the command timeout (1 s here)
        // and then throws "database is locked"; queued, the write simply waits for the transaction to end.
        var waiting = app.WithDbAsync(db =>
        {
            db.Database.SetCommandTimeout(1);
            return db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('queued')");
        });
        await Task.Delay(1500);
        Assert.False(waiting.IsCompleted, "the second writer ran while the first held its transaction");

        await transaction.CommitAsync();
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        var writers = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT writer AS Value FROM scratch ORDER BY id").ToListAsync());
        Assert.Equal(["holder", "queued"], writers);
    }

    [Fact]
    public async Task Many_concurrent_writers_and_transactions_all_land()
    {
        await using var app = await CreateAppWithScratchTableAsync();
        var single = Enumerable.Range(0, 60).Select(i => app.WithDbAsync(db =>
            db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ({0})", $"single-{i}")));
        var batched = Enumerable.Range(0, 20).Select(i => app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ({0})", $"tx-{i}-a");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ({0})", $"tx-{i}-b");
            if (i % 5 == 0) await transaction.RollbackAsync(); // a rolled-back transaction gives the turn back too
            else await transaction.CommitAsync();
            return 0;
        }));
        await Task.WhenAll(single.Concat(batched)).WaitAsync(TimeSpan.FromSeconds(30));

        var count = await app.WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM scratch").SingleAsync());
        Assert.Equal(60 + 16 * 2, count);
    }

    [Fact]
    public async Task Connections_commit_without_waiting_for_fsync()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var (journal, synchronous) = await app.WithDbAsync(async db => (
            await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode()").ToListAsync(),
            await db.Database.SqlQueryRaw<int>("SELECT synchronous AS Value FROM pragma_synchronous()").ToListAsync()));
        Assert.Equal("wal", Assert.Single(journal));
        Assert.Equal(1, Assert.Single(synchronous)); // NORMAL
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES (1)", true)]
    [InlineData("  update t set a = 1", true)]
    [InlineData("DELETE FROM t", true)]
    [InlineData("SELECT * FROM t", false)]
    [InlineData("PRAGMA synchronous", false)]
    public void Recognises_write_statements(string sql, bool write) => Assert.Equal(write, SqliteWriteSerializer.IsWrite(sql));
}
