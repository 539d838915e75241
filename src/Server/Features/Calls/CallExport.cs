using System.Globalization;
using System.Security.Claims;
using System.Text;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls;

/// <summary>
/// <c>GET /calls/export.csv</c>: the calls the list would show for the same query (filters and sort, every page),
/// streamed as CSV. Bounded by <see cref="MaxRows"/> so one request cannot dump an unbounded table.
/// </summary>
public static class CallExport
{
    public const int MaxRows = 50_000;

    private static readonly string[] Header =
        ["id", "started_at", "direction", "caller", "from_number", "to_number", "status", "duration_seconds", "outcome", "sentiment", "agent", "lead", "summary"];

    public static async Task<IResult> ExportAsync(CallSearchQuery query, ClaimsPrincipal user, AppDbContext db, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        var errors = new QueryErrors();
        // Paging does not apply: the export is every row (the list's page size is not checked or used).
        var filtered = CallSearch.Filter(db.Calls.AsNoTracking().VisibleTo(user), query, errors, CallsApi.TextMatchOf(db));
        var ordered = CallSearch.Sorts.Apply(filtered, query.Sort, errors);
        if (errors.Any) return errors.ToProblem();

        var rows = ordered.Select(CallListItem.Projection).Take(MaxRows).AsAsyncEnumerable();
        var name = $"calls-{time.GetUtcNow():yyyyMMdd-HHmm}.csv";
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        response.ContentType = "text/csv; charset=utf-8";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Line(Header)).ConfigureAwait(false);
        await foreach (var c in rows.WithCancellation(ct).ConfigureAwait(false))
            await writer.WriteAsync(Csv.Line(Cells(c))).ConfigureAwait(false);
        await writer.FlushAsync(ct).ConfigureAwait(false);
        return Results.Empty;
    }

    private static string?[] Cells(CallListItem c) =>
    [
        c.Id.ToString(CultureInfo.InvariantCulture), c.StartedAt.ToString("O", CultureInfo.InvariantCulture), SnakeCaseEnum.Name(c.Direction),
        c.LeadName ?? c.CallerUsername ?? (c.Direction == CallDirection.Outbound ? c.ToNumber : c.FromNumber),
        c.FromNumber, c.ToNumber, SnakeCaseEnum.Name(c.Status), c.DurationSeconds?.ToString(CultureInfo.InvariantCulture),
        c.Outcome is { } o ? SnakeCaseEnum.Name(o) : null,
        c.Sentiment is { } m ? SnakeCaseEnum.Name(m) : null, c.AgentName, c.LeadName, c.TranscriptSummary,
    ];
}
