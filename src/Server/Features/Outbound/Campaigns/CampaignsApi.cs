using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

public sealed class CampaignListQuery : PageQuery
{
    [FromQuery(Name = "state")] public string? State { get; set; }
}

public sealed class CampaignLeadsQuery : PageQuery
{
    [FromQuery(Name = "state")] public string? State { get; set; }
}

/// <summary>
/// <c>/campaigns</c>: Admins and Managers create, change, start, pause, resume, stop and delete; every signed-in user
/// reads (an Agent sees only their own leads in a campaign's lead list). A move a campaign's state forbids is 409.
/// </summary>
public static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns").WithTags("Campaigns").RequireAuthorization();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
            await FindAsync(db, id, ct) is { } found ? TypedResults.Ok(found) : Problems.NotFound("Campaign"));
        group.MapGet("/{id:int}/leads", LeadsAsync);
        group.MapGet("/{id:int}/report", async Task<Results<Ok<CampaignReportResponse>, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
            await db.Campaigns.AnyAsync(c => c.Id == id, ct)
                ? TypedResults.Ok(await CampaignReport.BuildAsync(db, id, user, ct))
                : Problems.NotFound("Campaign"));
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.ManagerOrAdmin);
        group.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(Policies.ManagerOrAdmin);
        group.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(Policies.ManagerOrAdmin);
        group.MapPost("/{id:int}/start", StartAsync).RequireAuthorization(Policies.ManagerOrAdmin);
        group.MapPost("/{id:int}/pause", (int id, AppDbContext db, TimeProvider time, CancellationToken ct) =>
            MoveAsync(db, id, [CampaignState.Running], CampaignState.Paused, time, ct)).RequireAuthorization(Policies.ManagerOrAdmin);
        group.MapPost("/{id:int}/resume", (int id, AppDbContext db, TimeProvider time, CancellationToken ct) =>
            MoveAsync(db, id, [CampaignState.Paused], CampaignState.Running, time, ct)).RequireAuthorization(Policies.ManagerOrAdmin);
        group.MapPost("/{id:int}/stop", (int id, AppDbContext db, TimeProvider time, CancellationToken ct) =>
            MoveAsync(db, id, [CampaignState.Running, CampaignState.Paused], CampaignState.Stopped, time, ct)).RequireAuthorization(Policies.ManagerOrAdmin);
        app.MapAnsweringMachineWebhook();
        return app;
    }

    private static async Task<Results<Ok<PagedResponse<CampaignResponse>>, ValidationProblem>> ListAsync(
        [AsParameters] CampaignListQuery query, AppDbContext db, CancellationToken ct)
    {
        var errors = new QueryErrors();
        query.Validate(errors);
        var state = errors.Enum<CampaignState>("state", query.State);
        if (errors.Any) return errors.ToProblem();
        var campaigns = db.Campaigns.AsNoTracking();
        if (state is { } s) campaigns = campaigns.Where(c => c.State == s);
        var page = await campaigns.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToPageAsync(query, ct);
        var progress = await CampaignLifecycle.ProgressAsync(db, page.Items.Select(c => c.Id).ToList(), ct);
        return TypedResults.Ok(new PagedResponse<CampaignResponse>(
            page.Items.Select(c => CampaignResponse.From(c, progress[c.Id])).ToList(), page.Total, page.Page, page.PageSize));
    }

    private static async Task<Results<Ok<PagedResponse<CampaignLeadResponse>>, ValidationProblem, ProblemHttpResult>> LeadsAsync(
        int id, [AsParameters] CampaignLeadsQuery query, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var errors = new QueryErrors();
        query.Validate(errors);
        var state = errors.Enum<CampaignLeadState>("state", query.State);
        if (errors.Any) return errors.ToProblem();
        if (!await db.Campaigns.AnyAsync(c => c.Id == id, ct)) return Problems.NotFound("Campaign");
        var visible = db.Leads.VisibleTo(user);
        var rows = db.CampaignLeads.AsNoTracking().Where(r => r.CampaignId == id && visible.Any(l => l.Id == r.LeadId));
        if (state is { } s) rows = rows.Where(r => r.State == s);
        return TypedResults.Ok(await rows.OrderBy(r => r.Id)
            .Select(r => new CampaignLeadResponse(r.Id, r.LeadId, r.Lead!.Name, r.Lead.Phone, r.State, r.Attempts, r.NextAttemptAt,
                r.LastCallId, r.AnsweredBy, r.ReasonCode, r.Reason, r.UpdatedAt))
            .ToPageAsync(query, ct));
    }

    private static async Task<Results<Created<CampaignResponse>, ValidationProblem>> CreateAsync(
        CampaignRequest request, ClaimsPrincipal user, AppDbContext db, PhoneNormalizer phones, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var campaign = new Campaign { Name = "", Goal = "", State = CampaignState.Draft, CreatedById = user.GetUserId(), CreatedAt = now, UpdatedAt = now };
        if (request.ApplyTo(campaign, phones) is { Count: > 0 } errors) return Problems.Validation(errors);
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/campaigns/{campaign.Id}", CampaignResponse.From(campaign, CampaignProgress.Empty));
    }

    private static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, CampaignRequest request, AppDbContext db, PhoneNormalizer phones, TimeProvider time, CancellationToken ct)
    {
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return Problems.NotFound("Campaign");
        if (campaign.State is not (CampaignState.Draft or CampaignState.Paused))
            return Problems.Conflict($"A {SnakeCaseEnum.Name(campaign.State)} campaign cannot be changed; pause it first.");
        var leadsBefore = campaign.Leads;
        if (request.ApplyTo(campaign, phones) is { Count: > 0 } errors) return Problems.Validation(errors);
        // The lead rows were made when it started: a started campaign's leads stay as they are.
        if (campaign.State == CampaignState.Paused && campaign.Leads != leadsBefore
            && System.Text.Json.JsonSerializer.Serialize(campaign.Leads) != System.Text.Json.JsonSerializer.Serialize(leadsBefore))
            return Problems.Validation("leads", "A started campaign's leads cannot change; create a new campaign for other leads.");
        campaign.UpdatedAt = time.GetUtcNow();
        try
        {
            // Only while it is still in the state read (a start between our read and this write wins).
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The campaign changed meanwhile; reload it.");
        }
        return TypedResults.Ok((await FindAsync(db, id, ct))!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, AppDbContext db, CancellationToken ct)
    {
        // A built-in campaign is never a draft, but the BuiltIn test keeps it safe even if one were.
        if (await db.Campaigns.Where(c => c.Id == id && c.State == CampaignState.Draft && c.BuiltIn == null).ExecuteDeleteAsync(ct) == 1)
            return TypedResults.NoContent();
        var found = await db.Campaigns.Where(c => c.Id == id).Select(c => new { c.BuiltIn }).SingleOrDefaultAsync(ct);
        if (found is null) return Problems.NotFound("Campaign");
        return Problems.Conflict(found.BuiltIn is not null
            ? "A built-in campaign cannot be deleted; pause it, or turn it off in the server's settings."
            : "Only a draft campaign can be deleted; stop it instead.");
    }

    private static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> StartAsync(
        int id, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return Problems.NotFound("Campaign");
        if (campaign.State != CampaignState.Draft) return IllegalMove(campaign.State, "start");
        if (!await CampaignLifecycle.Select(db.Leads, campaign.Leads).AnyAsync(ct))
            return Problems.Validation("leads", "The campaign selects no leads.");
        if (await CampaignLifecycle.StartAsync(db, campaign, time.GetUtcNow(), ct) is null) return IllegalMove(CampaignState.Running, "start");
        return TypedResults.Ok((await FindAsync(db, id, ct))!);
    }

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> MoveAsync(
        AppDbContext db, int id, CampaignState[] from, CampaignState to, TimeProvider time, CancellationToken ct)
    {
        if (await CampaignLifecycle.MoveAsync(db, id, from, to, time.GetUtcNow(), ct)) return TypedResults.Ok((await FindAsync(db, id, ct))!);
        var found = await db.Campaigns.Where(c => c.Id == id).Select(c => new { c.State, c.BuiltIn }).SingleOrDefaultAsync(ct);
        if (found is null) return Problems.NotFound("Campaign");
        if (found.BuiltIn is not null && to == CampaignState.Stopped)
            return Problems.Conflict("A built-in campaign cannot be stopped; pause it, or turn it off in the server's settings.");
        return IllegalMove(found.State, Verb(to));
    }

    private static string Verb(CampaignState to) => to switch
    {
        CampaignState.Paused => "pause",
        CampaignState.Running => "resume",
        _ => "stop",
    };

    private static ProblemHttpResult IllegalMove(CampaignState state, string verb) =>
        TypedResults.Problem($"A {SnakeCaseEnum.Name(state)} campaign cannot {verb}.", statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            extensions: new Dictionary<string, object?> { ["state"] = SnakeCaseEnum.Name(state) });

    private static async Task<CampaignResponse?> FindAsync(AppDbContext db, int id, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return null;
        return CampaignResponse.From(campaign, (await CampaignLifecycle.ProgressAsync(db, [id], ct))[id]);
    }
}
