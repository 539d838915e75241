using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.Compliance;

public sealed record DoNotCallResponse(int Id, string Phone, string Source, string? Reason, int? AddedById, string? AddedBy, int? LeadId, DateTimeOffset AddedAt);

public sealed record DoNotCallRequest(
    [property: Required, MaxLength(40)] string Phone,
    [property: MaxLength(DoNotCallEntry.MaxReason)] string? Reason);

public sealed class DoNotCallQuery : PageQuery
{
    /// <summary>Digits to find anywhere in the number, or words in the reason.</summary>
    [FromQuery(Name = "q")] public string? Q { get; set; }
}

/// <summary>
/// <c>/admin/do-not-call</c> (Managers and Admins): the team's own list — search it, add a number with a reason,
/// remove one. Removing a number does not clear a lead's own do-not-call flag: that is the lead's wish, changed on the lead.
/// The national registry's upload and status are in <see cref="RegistryApi"/>.
/// </summary>
public static class DoNotCallApi
{
    public static IEndpointRouteBuilder MapDoNotCallApi(this IEndpointRouteBuilder app)
    {
        var list = app.MapGroup("/admin/do-not-call").WithTags("Admin").RequireAuthorization(Policies.ManagerOrAdmin);

        list.MapGet("/", async Task<Results<Ok<PagedResponse<DoNotCallResponse>>, ValidationProblem>> (
            [AsParameters] DoNotCallQuery query, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            query.Validate(errors);
            if (query.Q is { Length: > 100 }) errors.Add("q", "q must be at most 100 characters.");
            if (errors.Any) return errors.ToProblem();
            var entries = db.Set<DoNotCallEntry>().AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var q = query.Q.Trim();
                var digits = new string([.. q.Where(char.IsAsciiDigit)]);
                entries = digits.Length > 0 && digits.Length == q.Count(c => !char.IsWhiteSpace(c) && c is not ('+' or '-' or '(' or ')' or '.'))
                    ? entries.Where(e => e.Phone.Contains(digits))
                    : entries.Where(e => e.Reason != null && e.Reason.ToLower().Contains(q.ToLower()));
            }
            return TypedResults.Ok(await entries.OrderByDescending(e => e.Id).Select(Projection).ToPageAsync(query, ct));
        });

        list.MapPost("/", async Task<Results<Created<DoNotCallResponse>, ValidationProblem, ProblemHttpResult>> (
            DoNotCallRequest request, ClaimsPrincipal user, AppDbContext db, PhoneNormalizer phones, DoNotCallList dnc, CancellationToken ct) =>
        {
            if (phones.Normalize(request.Phone) is not { } phone) return Problems.Validation("phone", PhoneNormalizer.Message);
            if (!await dnc.AddAsync(db, phone, DoNotCallSources.Admin, request.Reason, user.GetUserId(), null, ct))
                return Problems.Conflict($"{phone} is already on the do-not-call list.");
            await dnc.NotifyAsync(phone, ct);
            var entry = await db.Set<DoNotCallEntry>().AsNoTracking().Where(e => e.Phone == phone).Select(Projection).SingleAsync(ct);
            return TypedResults.Created($"/admin/do-not-call/{entry.Id}", entry);
        });

        list.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
            await db.Set<DoNotCallEntry>().Where(e => e.Id == id).ExecuteDeleteAsync(ct) == 0 ? Problems.NotFound("Do-not-call entry") : TypedResults.NoContent());

        app.MapRegistryApi();
        return app;
    }

    private static readonly System.Linq.Expressions.Expression<Func<DoNotCallEntry, DoNotCallResponse>> Projection = e =>
        new DoNotCallResponse(e.Id, e.Phone, e.Source, e.Reason, e.AddedById, e.AddedBy != null ? e.AddedBy.Name : null, e.LeadId, e.AddedAt);
}
