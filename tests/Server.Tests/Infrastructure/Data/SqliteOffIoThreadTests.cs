using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Infrastructure.Data;

/// <summary>SQLite work never runs on a socket's I/O thread (socket continuations run inline there).</summary>
public sealed class SqliteOffIoThreadTests
{
    [Fact]
    public async Task Opening_a_connection_from_a_thread_outside_the_pool_moves_the_work_to_the_pool()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // A dedicated thread stands in for the runtime's socket I/O thread: neither belongs to the pool.
        Task<(bool Before, bool After, long Properties)>? probe = null;
        var ioThread = new Thread(() => probe = OpenAndQueryAsync(db));
        ioThread.Start();
        ioThread.Join();
        var (before, after, properties) = await probe!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(before);
        Assert.True(after, "the query ran on the calling (I/O) thread");
        Assert.True(properties >= 0);
    }

    [Fact]
    public async Task A_pool_thread_opens_without_a_hop()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var sameThread = await Task.Run(async () =>
        {
            var thread = Environment.CurrentManagedThreadId;
            await db.Database.OpenConnectionAsync();
            var stayed = thread == Environment.CurrentManagedThreadId;
            await db.Database.CloseConnectionAsync();
            return stayed;
        });

        Assert.True(sameThread);
    }

    private static async Task<(bool Before, bool After, long Properties)> OpenAndQueryAsync(AppDbContext db)
    {
        var before = Thread.CurrentThread.IsThreadPoolThread;
        await db.Database.OpenConnectionAsync();
        var after = Thread.CurrentThread.IsThreadPoolThread;
        var properties = await db.Properties.LongCountAsync();
        await db.Database.CloseConnectionAsync();
        return (before, after, properties);
    }
}
