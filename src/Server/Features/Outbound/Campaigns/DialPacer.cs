using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// Twilio's calls-per-second limit across every node: one database row holds the next free moment, and each dial
/// takes a slot with a conditional UPDATE (the row must still hold the value read), so two nodes never share a slot.
/// </summary>
public sealed class DialPacer(IServiceScopeFactory scopes, IOptions<CampaignOptions> options, TimeProvider time)
{
    /// <summary>Takes the next slot and waits until it comes; returns the slot's time.</summary>
    public async Task<DateTimeOffset> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        var slot = await TakeSlotAsync(cancellationToken);
        var wait = slot - time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
        return slot;
    }

    /// <summary>Takes the next free slot (shared by all nodes) without waiting for it.</summary>
    public async Task<DateTimeOffset> TakeSlotAsync(CancellationToken cancellationToken)
    {
        var interval = (long)Math.Ceiling(options.Value.DialInterval.TotalMilliseconds);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        while (true)
        {
            var current = await db.DialPaceSlots.AsNoTracking().Where(s => s.Id == DialPaceSlot.SingletonId)
                .Select(s => (long?)s.NextSlotUnixMs).SingleOrDefaultAsync(cancellationToken);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (current is null)
            {
                db.DialPaceSlots.Add(new DialPaceSlot { Id = DialPaceSlot.SingletonId, NextSlotUnixMs = now + interval });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return DateTimeOffset.FromUnixTimeMilliseconds(now);
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
                {
                    db.ChangeTracker.Clear(); // another node made the row first: take a slot from it
                    continue;
                }
            }
            var slot = Math.Max(now, current.Value);
            var taken = await db.DialPaceSlots.Where(s => s.Id == DialPaceSlot.SingletonId && s.NextSlotUnixMs == current.Value)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextSlotUnixMs, slot + interval), cancellationToken);
            if (taken == 1) return DateTimeOffset.FromUnixTimeMilliseconds(slot);
        }
    }
}
