using System.Globalization;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>
/// The full gate, asked before every dial. In order: the lead's own do-not-call flag, the team's do-not-call list,
/// the national registry (in memory, <see cref="NationalDncRegistry"/>), consent on record, quiet days and holidays
/// and the calling window in every zone the lead could be in (<see cref="LeadTimeZones"/>), then the attempt cap.
/// <see cref="CheckManyAsync"/> answers a batch with two queries per 1,000 leads (listed numbers, recent attempts), or
/// from 5,000 leads with one read of the whole list and attempt window; that is how a campaign should ask.
/// <see cref="CheckAsync"/> is a batch of one.
/// </summary>
public sealed class ComplianceDialGate(IServiceScopeFactory scopes, NationalDncRegistry registry, IOptions<DialComplianceOptions> options,
    TimeProvider time) : IDialGate
{
    private const int BatchSize = 1000;
    /// <summary>From this many leads a batch reads the whole list and window once rather than per 1,000 leads.</summary>
    private const int SnapshotFrom = 5000;

    public async ValueTask<DialGateDecision> CheckAsync(DialGateRequest request, CancellationToken cancellationToken) =>
        (await CheckManyAsync([request], cancellationToken))[0];

    public async Task<IReadOnlyList<DialGateDecision>> CheckManyAsync(IReadOnlyList<DialGateRequest> requests, CancellationToken cancellationToken)
    {
        var decisions = new DialGateDecision[requests.Count];
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (requests.Count >= SnapshotFrom)
        {
            var snapshot = await LoadSnapshotAsync(db, now, cancellationToken);
            for (var i = 0; i < requests.Count; i++) decisions[i] = Decide(requests[i], snapshot, now);
            return decisions;
        }
        for (var start = 0; start < requests.Count; start += BatchSize)
        {
            var batch = requests.Skip(start).Take(BatchSize).ToList();
            var facts = await LoadFactsAsync(db, batch, now, cancellationToken);
            for (var i = 0; i < batch.Count; i++) decisions[start + i] = Decide(batch[i], facts, now);
        }
        return decisions;
    }

    /// <summary>
    /// A whole campaign at once: the team's list and every outbound call of the attempt window, read in two scans
    /// (both bounded: the list is the team's own, the window a week of calls), instead of ~2 queries per 1,000 leads.
    /// </summary>
    private async Task<BatchFacts> LoadSnapshotAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var listed = (await db.Set<DoNotCallEntry>().AsNoTracking().Select(e => e.Phone).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var since = now - options.Value.AttemptWindow;
        var attempts = new Dictionary<int, List<DateTimeOffset>>();
        await foreach (var call in db.Calls.AsNoTracking()
            .Where(c => c.LeadId != null && c.Direction == CallDirection.Outbound && c.StartedAt >= since)
            .Select(c => new { LeadId = c.LeadId!.Value, c.StartedAt }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!attempts.TryGetValue(call.LeadId, out var times)) attempts[call.LeadId] = times = new List<DateTimeOffset>(4);
            times.Add(call.StartedAt);
        }
        foreach (var times in attempts.Values) times.Sort();
        return new BatchFacts(listed, attempts);
    }

    /// <summary>What the database knows about a batch: which of its numbers are listed, and each lead's recent outbound calls.</summary>
    private sealed record BatchFacts(HashSet<string> Listed, Dictionary<int, List<DateTimeOffset>> Attempts);

    private async Task<BatchFacts> LoadFactsAsync(AppDbContext db, List<DialGateRequest> batch, DateTimeOffset now, CancellationToken ct)
    {
        var phones = batch.Where(r => !r.Lead.DoNotCall).Select(r => r.Lead.Phone).Distinct().ToList();
        var listed = phones.Count == 0 ? [] : (await db.Set<DoNotCallEntry>().AsNoTracking().Where(e => phones.Contains(e.Phone))
            .Select(e => e.Phone).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var leadIds = batch.Where(r => r.Lead.ConsentToCall && !r.Lead.DoNotCall).Select(r => r.Lead.Id).Distinct().ToList();
        var since = now - options.Value.AttemptWindow;
        var attempts = leadIds.Count == 0 ? [] : (await db.Calls.AsNoTracking()
                .Where(c => c.LeadId != null && leadIds.Contains(c.LeadId.Value) && c.Direction == CallDirection.Outbound && c.StartedAt >= since)
                .Select(c => new { LeadId = c.LeadId!.Value, c.StartedAt }).ToListAsync(ct))
            .GroupBy(c => c.LeadId).ToDictionary(g => g.Key, g => g.Select(c => c.StartedAt).Order().ToList());
        return new BatchFacts(listed, attempts);
    }

    private DialGateDecision Decide(DialGateRequest request, BatchFacts facts, DateTimeOffset now)
    {
        var lead = request.Lead;
        var o = options.Value;
        if (lead.DoNotCall) return DialGateDecision.Refuse(DialRefusals.DoNotCall, "The lead asked not to be called (do-not-call).");
        if (facts.Listed.Contains(lead.Phone))
            return DialGateDecision.Refuse(DialRefusals.DoNotCall, "The number is on the team's do-not-call list.");
        if (registry.Contains(lead.Phone))
            return DialGateDecision.Refuse(DialRefusals.NationalRegistry, "The number is on the national Do-Not-Call registry.");
        if (!lead.ConsentToCall) return DialGateDecision.Refuse(DialRefusals.NoConsent, "The lead has not consented to be called.");

        var zones = LeadTimeZones.For(lead);
        if (CallingWindow.Check(zones, now, o) is { } closed)
        {
            var local = LocalTimes(zones, now);
            return closed.QuietDay
                ? DialGateDecision.Refuse(DialRefusals.QuietDay, $"No calls today in the lead's local calendar (a quiet day or holiday: {local}).", closed.NextOpening)
                : DialGateDecision.Refuse(DialRefusals.OutsideCallingHours,
                    $"Outside calling hours: it is {local}; calls go out {o.WindowStart:HH\\:mm}-{o.WindowEnd:HH\\:mm} in the lead's local time.", closed.NextOpening);
        }

        if (facts.Attempts.TryGetValue(lead.Id, out var attempts) && attempts.Count >= o.MaxAttempts)
        {
            // The window frees a slot when the attempt that fills the cap (counted from the newest) ages out of it.
            var freesAt = attempts[attempts.Count - o.MaxAttempts] + o.AttemptWindow;
            var retryAt = CallingWindow.IsOpen(zones, freesAt, o) ? freesAt : CallingWindow.NextOpening(zones, freesAt, o);
            return DialGateDecision.Refuse(DialRefusals.AttemptCap,
                $"The lead was already called {attempts.Count} times in the last {o.AttemptWindowDays} days (at most {o.MaxAttempts}).", retryAt);
        }
        return DialGateDecision.Allow;
    }

    private static string LocalTimes(IReadOnlyList<TimeZoneInfo> zones, DateTimeOffset now) =>
        string.Join(", ", zones.Select(z => $"{TimeZoneInfo.ConvertTime(now, z).ToString("ddd HH:mm", CultureInfo.InvariantCulture)} in {z.Id}"));
}
