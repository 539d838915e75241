using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads.Import;

/// <summary>What to do with a row whose phone already belongs to a lead (in the database or earlier in the file).</summary>
public enum DuplicateHandling { Skip, Merge }

/// <summary>What one import settled on before the rows arrive.</summary>
public sealed record LeadImportContext(PhoneNormalizer Phones, DuplicateHandling Duplicates, int? AssignedAgentId, DateTimeOffset Now);

public sealed record LeadImportResult(int Rows, int Created, int Merged, int Skipped, int Failed, List<LeadImportError> Errors, bool ErrorsTruncated);

/// <summary>
/// Turns CSV records into leads a batch at a time: each batch of rows costs one query for the phones it already
/// has and one batched insert/update, so 50,000 rows are a hundred round trips, not 100,000. Rows are validated
/// whole (a row with any bad cell is reported and left out); duplicates by E.164 phone are skipped or merged
/// (the row's non-empty cells written over the oldest lead with that phone).
/// </summary>
public sealed class LeadImporter(AppDbContext db, Routing.LeadRouter? router = null)
{
    public const int BatchSize = 1000;
    public const int MaxRows = 100_000;
    public const int MaxReportedErrors = 1000;

    private readonly List<LeadImportError> errors = [];

    /// <summary>Numbers of the leads this import made do-not-call (new ones so marked, or merged ones it turned so).</summary>
    public HashSet<string> MarkedDoNotCall { get; } = new(StringComparer.Ordinal);
    private int rows, created, merged, skipped, failed, errorCount;

    /// <summary>How many new leads routing gave each agent (agent id → count).</summary>
    public Dictionary<int, int> RoutedPerAgent { get; } = [];

    public async Task<LeadImportResult> ImportAsync(CsvReader csv, string?[] columns, LeadImportContext context, CancellationToken ct)
    {
        var batch = new List<PendingRow>(BatchSize);
        var seenInFile = new HashSet<string>(StringComparer.Ordinal);
        while (await csv.ReadAsync(ct) is { } record)
        {
            if (++rows > MaxRows)
            {
                rows--;
                Report(csv.RecordNumber, "file", $"At most {MaxRows:N0} rows are imported at once; the rest of the file was not read.");
                break;
            }
            if (Parse(record, columns, csv.RecordNumber, context) is not { } row) continue;
            if (!seenInFile.Add(row.Lead.Phone) && context.Duplicates == DuplicateHandling.Skip)
            {
                skipped++;
                continue;
            }
            batch.Add(row);
            if (batch.Count == BatchSize) await SaveAsync(batch, context, ct);
        }
        if (batch.Count > 0) await SaveAsync(batch, context, ct);
        return new LeadImportResult(rows, created, merged, skipped, failed, errors, errorCount > errors.Count);
    }

    private sealed record PendingRow(Lead Lead, List<(string Field, string Value)> Cells);

    private PendingRow? Parse(string[] record, string?[] columns, int rowNumber, LeadImportContext context)
    {
        var lead = new Lead
        {
            Name = "", Phone = "", Source = LeadSource.Other, AssignedAgentId = context.AssignedAgentId,
            CreatedAt = context.Now, UpdatedAt = context.Now,
        };
        var cells = new List<(string, string)>(columns.Length);
        var ok = true;
        for (var i = 0; i < columns.Length && i < record.Length; i++)
        {
            if (columns[i] is not { } field) continue;
            var value = record[i].Trim();
            if (value.Length == 0) continue;
            if (LeadImportFields.Apply(lead, field, value, context) is { } message)
            {
                Report(rowNumber, field, message);
                ok = false;
            }
            else cells.Add((field, value));
        }
        if (lead.Name.Length == 0 && ok) { Report(rowNumber, LeadImportFields.Name, "A lead needs a name."); ok = false; }
        if (lead.Phone.Length == 0 && ok) { Report(rowNumber, LeadImportFields.Phone, "A lead needs a phone number."); ok = false; }
        if (lead.BudgetMin > lead.BudgetMax && ok) { Report(rowNumber, "budget_max", "budget_max must not be below budget_min."); ok = false; }
        if (!ok)
        {
            failed++;
            return null;
        }
        if (lead.ConsentToCall) lead.ConsentAt ??= context.Now;
        LeadQualification.Track(lead, context.Now);
        return new PendingRow(lead, cells);
    }

    private void Report(int row, string field, string message)
    {
        if (++errorCount <= MaxReportedErrors) errors.Add(new LeadImportError(row, field, message));
    }

    private async Task SaveAsync(List<PendingRow> batch, LeadImportContext context, CancellationToken ct)
    {
        var phones = batch.Select(r => r.Lead.Phone).Distinct().ToList();
        var existing = new Dictionary<string, Lead>(StringComparer.Ordinal);
        if (context.Duplicates == DuplicateHandling.Merge)
        {
            foreach (var lead in await db.Leads.Where(l => phones.Contains(l.Phone)).OrderBy(l => l.Id).ToListAsync(ct))
                existing.TryAdd(lead.Phone, lead);
        }
        else
        {
            foreach (var phone in await db.Leads.Where(l => phones.Contains(l.Phone)).Select(l => l.Phone).Distinct().ToListAsync(ct))
                existing[phone] = null!;
        }

        foreach (var row in batch)
        {
            if (existing.TryGetValue(row.Lead.Phone, out var target))
            {
                if (context.Duplicates == DuplicateHandling.Skip) { skipped++; continue; }
                var wasDoNotCall = target.DoNotCall;
                foreach (var (field, value) in row.Cells) LeadImportFields.Apply(target, field, value, context);
                if (target.DoNotCall && !wasDoNotCall) MarkedDoNotCall.Add(target.Phone);
                if (target.ConsentToCall) target.ConsentAt ??= context.Now;
                if (context.AssignedAgentId is { } agent) target.AssignedAgentId = agent;
                target.UpdatedAt = context.Now;
                LeadQualification.Track(target, context.Now);
                merged++;
                continue;
            }
            db.Leads.Add(row.Lead);
            if (row.Lead.DoNotCall) MarkedDoNotCall.Add(row.Lead.Phone);
            existing[row.Lead.Phone] = row.Lead; // a later row in this batch with the same phone merges into it
            created++;
        }
        // A file without an assignee: its new leads are routed like any other new unassigned lead.
        if (router is not null && context.AssignedAgentId is null)
        {
            var added = db.ChangeTracker.Entries<Lead>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            foreach (var lead in await router.RouteAsync(added, ct))
                RoutedPerAgent[lead.AssignedAgentId!.Value] = RoutedPerAgent.GetValueOrDefault(lead.AssignedAgentId!.Value) + 1;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        batch.Clear();
    }
}
