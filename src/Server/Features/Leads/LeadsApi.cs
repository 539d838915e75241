using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads.Import;
using EstateVoice.Server.Features.Leads.Intake;
using EstateVoice.Server.Features.Leads.Notes;
using EstateVoice.Server.Features.Leads.Routing;
using EstateVoice.Server.Features.Leads.Timeline;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads;

/// <summary>
/// Leads, scoped by <see cref="LeadAccess"/>: an Agent lists, reads and updates only leads assigned to them and
/// creates leads for themselves; Managers and Admins see all, assign and delete.
/// </summary>
public static class LeadsApi
{
    /// <summary>Lead options (DEFAULT_PHONE_REGION, LEAD_INTAKE_RATE_LIMIT_PER_MINUTE) and the phone normaliser.</summary>
    public static IHostApplicationBuilder AddLeads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LeadOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                if (config["DEFAULT_PHONE_REGION"] is { Length: > 0 } region) o.DefaultPhoneRegion = region.Trim().ToUpperInvariant();
                if (int.TryParse(config["LEAD_INTAKE_RATE_LIMIT_PER_MINUTE"], out var perMinute)) o.IntakeRateLimitPerMinute = perMinute;
            })
            .Validate(o => PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(o.DefaultPhoneRegion),
                "DEFAULT_PHONE_REGION must be a two-letter region such as US or GB.")
            .Validate(o => o.IntakeRateLimitPerMinute >= 1, "LEAD_INTAKE_RATE_LIMIT_PER_MINUTE must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PhoneNormalizer>();
        builder.Services.AddScoped<LeadRouter>();
        builder.Services.AddLeadIntakeRateLimit();
        return builder;
    }

    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/leads").WithTags("Leads");
        group.MapLeadImport();
        group.MapLeadIntake();
        group.MapLeadNotes();
        group.MapLeadTimeline();
        app.MapIntegrationKeysApi();
        app.MapLeadRoutingApi();

        group.MapGet("/", async Task<Results<Ok<PagedResponse<LeadResponse>>, ValidationProblem>> (
            [AsParameters] LeadSearchQuery query, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var filtered = LeadSearch.Apply(db.Leads.AsNoTracking().VisibleTo(user), query, errors);
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await filtered.Select(LeadResponse.Projection).ToPageAsync(query, ct));
        });

        group.MapGet("/{id:int}", async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> (int id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
            await Find(db, user, id, ct) is { } lead ? TypedResults.Ok(lead) : Problems.NotFound("Lead"));

        group.MapPost("/", async Task<Results<Created<LeadResponse>, ValidationProblem, ProblemHttpResult>> (
            LeadRequest request, ClaimsPrincipal user, AppDbContext db, PhoneNormalizer phones, DoNotCallList dnc, INotifier notifier, TimeProvider time,
            CancellationToken ct) =>
        {
            if (phones.Normalize(request.Phone) is not { } phone) return ProblemResults.Invalid("phone", PhoneNormalizer.Message);
            if (await RequestProblem(db, user, request, currentAgentId: null, ct) is { } problem) return problem;
            var now = time.GetUtcNow();
            var lead = new Lead { Name = "", Phone = "", CreatedAt = now };
            Apply(lead, request with { Phone = phone }, now);
            lead.AssignedAgentId = user.SeesEverything() ? request.AssignedAgentId : user.GetUserId();
            db.Leads.Add(lead);
            await db.SaveChangesAsync(ct);
            await ListIfMarkedAsync(dnc, lead, wasDoNotCall: false, user, ct);
            await NotifyAssigneeAsync(notifier, lead, previousAgentId: null, user, ct);
            return TypedResults.Created($"/leads/{lead.Id}", (await Find(db, user, lead.Id, ct))!);
        });

        group.MapPut("/{id:int}", async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> (
            int id, LeadRequest request, ClaimsPrincipal user, AppDbContext db, PhoneNormalizer phones, DoNotCallList dnc, INotifier notifier,
            TimeProvider time, CancellationToken ct) =>
        {
            var lead = await db.Leads.VisibleTo(user).SingleOrDefaultAsync(l => l.Id == id, ct);
            if (lead is null) return Problems.NotFound("Lead");
            if (phones.Normalize(request.Phone) is not { } phone) return ProblemResults.Invalid("phone", PhoneNormalizer.Message);
            if (await RequestProblem(db, user, request, lead.AssignedAgentId, ct) is { } problem) return problem;
            var wasDoNotCall = lead.DoNotCall;
            var previousAgentId = lead.AssignedAgentId;
            Apply(lead, request with { Phone = phone }, time.GetUtcNow());
            if (user.SeesEverything()) lead.AssignedAgentId = request.AssignedAgentId;
            await db.SaveChangesAsync(ct);
            await ListIfMarkedAsync(dnc, lead, wasDoNotCall, user, ct);
            await NotifyAssigneeAsync(notifier, lead, previousAgentId, user, ct);
            return TypedResults.Ok((await Find(db, user, id, ct))!);
        });

        group.MapPatch("/{id:int}", async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> (
            int id, LeadPatch patch, ClaimsPrincipal user, AppDbContext db, PhoneNormalizer phones, DoNotCallList dnc, TimeProvider time, CancellationToken ct) =>
        {
            var lead = await db.Leads.VisibleTo(user).SingleOrDefaultAsync(l => l.Id == id, ct);
            if (lead is null) return Problems.NotFound("Lead");
            if (patch.Phone is not null)
            {
                if (phones.Normalize(patch.Phone) is not { } phone) return ProblemResults.Invalid("phone", PhoneNormalizer.Message);
                patch = patch with { Phone = phone };
            }
            if (PatchProblem(lead, patch) is { } problem) return problem;
            var wasDoNotCall = lead.DoNotCall;
            Apply(lead, patch, time.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await ListIfMarkedAsync(dnc, lead, wasDoNotCall, user, ct);
            return TypedResults.Ok((await Find(db, user, id, ct))!);
        });

        group.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
            await db.Leads.Where(l => l.Id == id).ExecuteDeleteAsync(ct) == 0 ? Problems.NotFound("Lead") : TypedResults.NoContent())
            .RequireAuthorization(Policies.ManagerOrAdmin);

        group.MapPost("/{id:int}/assign", async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> (
            int id, AssignLeadRequest request, ClaimsPrincipal user, AppDbContext db, INotifier notifier, TimeProvider time, CancellationToken ct) =>
        {
            var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, ct);
            if (lead is null) return Problems.NotFound("Lead");
            if (await AssigneeProblem(db, request.AgentId, "agent_id", ct) is { } problem) return problem;
            var previousAgentId = lead.AssignedAgentId;
            lead.AssignedAgentId = request.AgentId;
            lead.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await NotifyAssigneeAsync(notifier, lead, previousAgentId, user, ct);
            return TypedResults.Ok((await Find(db, user, id, ct))!);
        })
        .RequireAuthorization(Policies.ManagerOrAdmin);

        return app;
    }

    /// <summary>A lead given to someone new tells them (not when people assign a lead to themselves).</summary>
    private static Task NotifyAssigneeAsync(INotifier notifier, Lead lead, int? previousAgentId, ClaimsPrincipal user, CancellationToken ct) =>
        lead.AssignedAgentId is { } agentId && agentId != previousAgentId && agentId != user.GetUserId()
            ? notifier.PublishAsync(NotificationMessages.LeadAssigned(agentId, lead.Id, lead.Name), ct)
            : Task.CompletedTask;

    /// <summary>A user marking a lead do-not-call puts its number on the team's list and cancels queued attempts to it.</summary>
    private static Task ListIfMarkedAsync(DoNotCallList dnc, Lead lead, bool wasDoNotCall, ClaimsPrincipal user, CancellationToken ct) =>
        lead.DoNotCall && !wasDoNotCall
            ? dnc.AddAsync(lead.Phone, DoNotCallSources.Lead, "Marked do-not-call on the lead.", user.GetUserId(), lead.Id, ct)
            : Task.CompletedTask;

    private static Task<LeadResponse?> Find(AppDbContext db, ClaimsPrincipal user, int id, CancellationToken ct) =>
        db.Leads.AsNoTracking().VisibleTo(user).Where(l => l.Id == id).Select(LeadResponse.Projection).SingleOrDefaultAsync(ct);

    private static async Task<ProblemHttpResult?> RequestProblem(AppDbContext db, ClaimsPrincipal user, LeadRequest request, int? currentAgentId, CancellationToken ct)
    {
        if (request.BudgetMin > request.BudgetMax) return ProblemResults.Invalid("budget_max", "budget_max must not be below budget_min.");
        if (TimeZoneProblem(request.TimeZone) is { } tz) return tz;
        if (request.ConsentAt is { } at && !InputLimits.IsTime(at)) return ProblemResults.Invalid("consent_at", "consent_at is not a plausible time.");
        if (!user.SeesEverything())
        {
            // Agents cannot assign: their new leads are theirs, and an update keeps the current assignee.
            var allowed = currentAgentId ?? user.GetUserId();
            if (request.AssignedAgentId is { } wanted && wanted != allowed)
                return ProblemResults.Forbidden("Only managers and admins assign leads.");
            return null;
        }
        return await AssigneeProblem(db, request.AssignedAgentId, "assigned_agent_id", ct);
    }

    private static ProblemHttpResult? PatchProblem(Lead lead, LeadPatch patch)
    {
        if ((patch.BudgetMin ?? lead.BudgetMin) > (patch.BudgetMax ?? lead.BudgetMax))
            return ProblemResults.Invalid("budget_max", "budget_max must not be below budget_min.");
        if (patch.ConsentAt is { } at && !InputLimits.IsTime(at)) return ProblemResults.Invalid("consent_at", "consent_at is not a plausible time.");
        return TimeZoneProblem(patch.TimeZone);
    }

    private static ProblemHttpResult? TimeZoneProblem(string? timeZone) =>
        timeZone is null || TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)
            ? null
            : ProblemResults.Invalid("time_zone", $"'{(timeZone.Length > 40 ? timeZone[..40] : timeZone)}' is not an IANA time zone such as America/Los_Angeles.");

    private static async Task<ProblemHttpResult?> AssigneeProblem(AppDbContext db, int? agentId, string field, CancellationToken ct) =>
        agentId is { } id && !await db.Users.AnyAsync(u => u.Id == id && u.IsActive, ct)
            ? ProblemResults.Invalid(field, $"No active user has id {id}.")
            : null;

    private static void Apply(Lead lead, LeadRequest request, DateTimeOffset now)
    {
        lead.Name = request.Name.Trim();
        lead.Phone = request.Phone;
        lead.Email = request.Email?.Trim();
        lead.Source = request.Source ?? lead.Source;
        lead.Status = request.Status ?? lead.Status;
        lead.Intent = request.Intent;
        lead.BudgetMin = request.BudgetMin;
        lead.BudgetMax = request.BudgetMax;
        lead.PreApproved = request.PreApproved;
        lead.Timeline = request.Timeline?.Trim();
        lead.PreferredAreas = request.PreferredAreas?.Select(a => a.Trim()).ToList() ?? [];
        lead.Bedrooms = request.Bedrooms;
        lead.Notes = request.Notes;
        lead.ConsentToCall = request.ConsentToCall ?? false;
        lead.ConsentAt = ConsentTime(lead.ConsentToCall, request.ConsentAt, lead.ConsentAt, now);
        lead.DoNotCall = request.DoNotCall ?? false;
        lead.TimeZone = request.TimeZone;
        lead.UpdatedAt = now;
        LeadQualification.Track(lead, now);
    }

    /// <summary>Consent keeps the time it was given (as sent, else when it was first recorded here); none without consent.</summary>
    private static DateTimeOffset? ConsentTime(bool consent, DateTimeOffset? given, DateTimeOffset? recorded, DateTimeOffset now) =>
        consent ? given?.ToUniversalTime() ?? recorded ?? now : null;

    private static void Apply(Lead lead, LeadPatch patch, DateTimeOffset now)
    {
        if (patch.Name is not null) lead.Name = patch.Name.Trim();
        if (patch.Phone is not null) lead.Phone = patch.Phone;
        if (patch.Email is not null) lead.Email = patch.Email.Trim();
        if (patch.Source is { } source) lead.Source = source;
        if (patch.Status is { } status) lead.Status = status;
        if (patch.Intent is { } intent) lead.Intent = intent;
        if (patch.BudgetMin is { } min) lead.BudgetMin = min;
        if (patch.BudgetMax is { } max) lead.BudgetMax = max;
        if (patch.PreApproved is { } preApproved) lead.PreApproved = preApproved;
        if (patch.Timeline is not null) lead.Timeline = patch.Timeline.Trim();
        if (patch.PreferredAreas is not null) lead.PreferredAreas = patch.PreferredAreas.Select(a => a.Trim()).ToList();
        if (patch.Bedrooms is { } bedrooms) lead.Bedrooms = bedrooms;
        if (patch.Notes is not null) lead.Notes = patch.Notes;
        if (patch.ConsentToCall is { } consent) lead.ConsentToCall = consent;
        if (patch.ConsentToCall is not null || patch.ConsentAt is not null)
            lead.ConsentAt = ConsentTime(lead.ConsentToCall, patch.ConsentAt, lead.ConsentAt, now);
        if (patch.DoNotCall is { } dnc) lead.DoNotCall = dnc;
        if (patch.TimeZone is not null) lead.TimeZone = patch.TimeZone;
        lead.UpdatedAt = now;
        LeadQualification.Track(lead, now);
    }
}
