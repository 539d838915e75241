using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Showings;

/// <summary>
/// Bookings of one property, and bookings of one agent, take turns between their clash check and their insert, so
/// two callers cannot both take the same slot of a house or of a person; bookings sharing neither never wait for each
/// other (a turn holds one property and one agent, not the whole CRM). On PostgreSQL the turn is a row lock on the
/// property and on the agent's user inside the booking's transaction, so it holds across every node sharing the
/// database; the embedded SQLite serves one node, so there it is an in-process lock per property and per agent
/// (striped: a bounded set of locks, an id always maps to the same one). Always property first, then agent: two
/// turns never wait for each other in opposite orders, so they cannot deadlock.
/// One instance per app (a singleton): two apps on two databases in one process do not share turns.
/// </summary>
public sealed class PropertyBookingTurns
{
    // 256 stripes: two properties share one only by id modulo 256, and then merely take turns, never wrongly pass.
    private readonly SemaphoreSlim[] propertyStripes = NewStripes();
    private readonly SemaphoreSlim[] agentStripes = NewStripes();

    private static SemaphoreSlim[] NewStripes() => [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Waits for <paramref name="propertyId"/>'s and <paramref name="agentId"/>'s turn on <paramref name="db"/>'s
    /// database. Check for clashes and save through the same context while holding it, then
    /// <see cref="Turn.CompleteAsync"/>; disposing gives it back.
    /// </summary>
    public async Task<Turn> TakeAsync(AppDbContext db, int propertyId, int? agentId, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var property = propertyStripes[(uint)propertyId % (uint)propertyStripes.Length];
            await property.WaitAsync(ct);
            if (agentId is not { } agent) return new Turn([property], null);
            var agentStripe = agentStripes[(uint)agent % (uint)agentStripes.Length];
            try
            {
                await agentStripe.WaitAsync(ct);
            }
            catch
            {
                property.Release();
                throw;
            }
            return new Turn([agentStripe, property], null);
        }
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // FOR NO KEY UPDATE: bookings of this property queue here until the holder commits; rows that merely
            // reference the property (a showing's foreign key takes KEY SHARE) are not held up. Read committed: the
            // clash check that follows, a new statement, sees the showing the previous holder committed.
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Properties" WHERE "Id" = {propertyId} FOR NO KEY UPDATE""", ct);
            // The agent's user row the same way: a second booking of this agent, at any property, queues here.
            if (agentId is { } agent)
                await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Users" WHERE "Id" = {agent} FOR NO KEY UPDATE""", ct);
            return new Turn([], transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public sealed class Turn(SemaphoreSlim[] stripes, IDbContextTransaction? transaction) : IAsyncDisposable
    {
        /// <summary>Commits what was saved during the turn (PostgreSQL; on SQLite the save already committed).</summary>
        public Task CompleteAsync(CancellationToken ct) => transaction?.CommitAsync(ct) ?? Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (transaction is not null) await transaction.DisposeAsync(); // rolls back unless completed
            foreach (var stripe in stripes) stripe.Release();
        }
    }
}
