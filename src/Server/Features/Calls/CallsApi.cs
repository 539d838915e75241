using System.Security.Claims;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls;

/// <summary>Call history (read-only here: the telephony and webhook features write calls). Scoped by <see cref="CallAccess"/>.</summary>
public static class CallsApi
{
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/calls").WithTags("Calls");

        group.MapGet("/", async Task<Results<Ok<PagedResponse<CallListItem>>, ValidationProblem>> (
            [AsParameters] CallSearchQuery query, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var filtered = CallSearch.Apply(db.Calls.AsNoTracking().VisibleTo(user), query, errors, TextMatchOf(db));
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await filtered.Select(CallListItem.Projection).ToPageAsync(query, ct));
        });

        group.MapGet("/export.csv", ([AsParameters] CallSearchQuery query, ClaimsPrincipal user, AppDbContext db, TimeProvider time,
                HttpResponse response, CancellationToken ct) => CallExport.ExportAsync(query, user, db, time, response, ct))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();

        group.MapGet("/{id:int}", async Task<Results<Ok<CallDetail>, ProblemHttpResult>> (int id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var call = await CallDetail.LoadAsync(db, db.Calls.AsNoTracking().VisibleTo(user), id, ct);
            return call is null ? Problems.NotFound("Call") : TypedResults.Ok(call);
        });

        return app;
    }

    /// <summary>PostgreSQL matches words with ILIKE, which its trigram indexes serve; SQLite scans with lower() + LIKE.</summary>
    public static TextMatch TextMatchOf(AppDbContext db) => db is PostgresAppDbContext ? TextMatch.ILike : TextMatch.Lowered;
}
