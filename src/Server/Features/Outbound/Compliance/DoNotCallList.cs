using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>
/// The one way a number goes on the team's do-not-call list — a caller's "stop calling me", a user marking the lead,
/// an admin adding it — and the one place every <see cref="INumberOptedOutListener"/> is told, so queued attempts to
/// the number are cancelled at once.
/// </summary>
public sealed class DoNotCallList(IServiceScopeFactory scopes, TimeProvider time, ILogger<DoNotCallList> logger)
{
    /// <summary>Adds the number (kept once, with its first reason) and tells the listeners. True when it was new.</summary>
    public async Task<bool> AddAsync(string phoneE164, string source, string? reason, int? byUserId, int? leadId, CancellationToken cancellationToken)
    {
        bool added;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            added = await AddAsync(db, phoneE164, source, reason, byUserId, leadId, cancellationToken);
        }
        await NotifyAsync(phoneE164, cancellationToken);
        return added;
    }

    /// <summary>The insert alone, on the caller's context (an admin request's own); <see cref="NotifyAsync"/> follows it.</summary>
    public async Task<bool> AddAsync(AppDbContext db, string phoneE164, string source, string? reason, int? byUserId, int? leadId, CancellationToken cancellationToken)
    {
        var numbers = db.Set<DoNotCallEntry>();
        if (await numbers.AnyAsync(e => e.Phone == phoneE164, cancellationToken)) return false;
        var entry = new DoNotCallEntry
        {
            Phone = phoneE164, Source = source, Reason = Clip(reason), AddedById = byUserId, LeadId = leadId, AddedAt = time.GetUtcNow(),
        };
        numbers.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Another request listed the same number between our read and our insert: it is on the list either way.
            db.Entry(entry).State = EntityState.Detached;
            return false;
        }
        catch (DbUpdateException ex) when (DbErrors.IsForeignKeyViolation(ex) && byUserId is not null)
        {
            // The acting user was deleted meanwhile: the number still goes on the list, without them.
            db.Entry(entry).State = EntityState.Detached;
            return await AddAsync(db, phoneE164, source, reason, null, leadId, cancellationToken);
        }
    }

    /// <summary>
    /// Many numbers at once (an import): those already listed are read a thousand at a time and skipped, each new one
    /// is added as <see cref="AddAsync(AppDbContext, string, string, string?, int?, int?, CancellationToken)"/> does,
    /// then the listeners hear every new number. Returns how many were new.
    /// </summary>
    public async Task<int> AddManyAsync(IReadOnlyCollection<string> phonesE164, string source, string? reason, int? byUserId, CancellationToken cancellationToken)
    {
        if (phonesE164.Count == 0) return 0;
        var added = new List<string>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var chunk in phonesE164.Chunk(1000))
            {
                var listed = await db.Set<DoNotCallEntry>().Where(e => chunk.Contains(e.Phone)).Select(e => e.Phone).ToListAsync(cancellationToken);
                foreach (var phone in chunk.Except(listed, StringComparer.Ordinal))
                    if (await AddAsync(db, phone, source, reason, byUserId, null, cancellationToken)) added.Add(phone);
            }
        }
        foreach (var phone in added) await NotifyAsync(phone, cancellationToken);
        return added.Count;
    }

    /// <summary>Tells every listener (resolved in a scope of their own, whatever their lifetime); one failing is logged and does not stop the others.</summary>
    public async Task NotifyAsync(string phoneE164, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var listener in scope.ServiceProvider.GetServices<INumberOptedOutListener>())
        {
            try
            {
                await listener.NumberOptedOutAsync(phoneE164, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Listener} failed on an opted-out number", listener.GetType().Name);
            }
        }
    }

    private static string? Clip(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() is var r && r.Length > DoNotCallEntry.MaxReason ? r[..DoNotCallEntry.MaxReason] : reason.Trim();
}
