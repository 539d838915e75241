using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Showings;

/// <summary>
/// Bookings of one property take turns between their clash check and their insert, so two callers cannot both take
/// the same slot; bookings of different properties never wait for each other (a booking turn holds one property,
/// not the whole CRM). On PostgreSQL the turn is a row lock on the property inside the booking's transaction, so it
/// holds across every node sharing the database; the embedded SQLite serves one node, so there it is an in-process
/// lock per property (striped: a bounded set of locks, a property always maps to the same one).
/// One instance per app (a singleton): two apps on two databases in one process do not share turns.
/// </summary>
public sealed class PropertyBookingTurns
{
    // 256 stripes: two properties share one only by id modulo 256, and then merely take turns, never wrongly pass.
    private readonly SemaphoreSlim[] stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Waits for <paramref name="propertyId"/>'s turn on <paramref name="db"/>'s database. Check for clashes and save
    /// through the same context while holding it, then <see cref="Turn.CompleteAsync"/>; disposing gives it back.
    /// </summary>
    public async Task<Turn> TakeAsync(AppDbContext db, int propertyId, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var stripe = stripes[(uint)propertyId % (uint)stripes.Length];
            await stripe.WaitAsync(ct);
            return new Turn(stripe, null);
        }
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // FOR NO KEY UPDATE: bookings of this property queue here until the holder commits; rows that merely
            // reference the property (a showing's foreign key takes KEY SHARE) are not held up. Read committed: the
            // clash check that follows, a new statement, sees the showing the previous holder committed.
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Properties" WHERE "Id" = {propertyId} FOR NO KEY UPDATE""", ct);
            return new Turn(null, transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public sealed class Turn(SemaphoreSlim? stripe, IDbContextTransaction? transaction) : IAsyncDisposable
    {
        /// <summary>Commits what was saved during the turn (PostgreSQL; on SQLite the save already committed).</summary>
        public Task CompleteAsync(CancellationToken ct) => transaction?.CommitAsync(ct) ?? Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (transaction is not null) await transaction.DisposeAsync(); // rolls back unless completed
            stripe?.Release();
        }
    }
}
