using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads.Routing;

public sealed record LeadRoutingResponse(LeadRoutingMode Mode, IReadOnlyList<AreaRule> Areas);

public sealed record LeadRoutingRequest(LeadRoutingMode Mode, IReadOnlyList<AreaRule?>? Areas);

/// <summary><c>/admin/lead-routing</c> (Admins): how new unassigned leads get an agent (<see cref="LeadRouter"/>).</summary>
public static class LeadRoutingApi
{
    public const int MaxAreas = 500;

    public static IEndpointRouteBuilder MapLeadRoutingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/lead-routing").WithTags("Admin").RequireAuthorization(Policies.Admin);

        group.MapGet("/", async (AppDbContext db, CancellationToken ct) =>
        {
            var settings = await db.Set<LeadRoutingSettings>().AsNoTracking().SingleOrDefaultAsync(ct);
            return TypedResults.Ok(settings is null ? new LeadRoutingResponse(LeadRoutingMode.Off, []) : new LeadRoutingResponse(settings.Mode, settings.AreaRules));
        });

        group.MapPut("/", async Task<Results<Ok<LeadRoutingResponse>, ValidationProblem>> (
            LeadRoutingRequest request, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (request.Areas?.Any(a => a is null) == true)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["areas"] = ["Each area is an object: {\"match\": \"787\", \"agent_id\": 3}."] });
            var areas = (request.Areas ?? []).Select(a => a! with { Match = (a.Match ?? "").Trim() }).ToList();
            if (areas.Count > MaxAreas) errors["areas"] = [$"At most {MaxAreas} area rules."];
            if (areas.Any(a => a.Match.Length is 0 or > 100)) errors["areas"] = ["Each area needs a ZIP prefix or a city (up to 100 characters)."];
            if (request.Mode == LeadRoutingMode.ByArea && areas.Count == 0) errors["areas"] = ["Routing by area needs at least one area."];
            var agentIds = areas.Select(a => a.AgentId).Distinct().ToList();
            var agents = await db.Users.AsNoTracking().Where(u => agentIds.Contains(u.Id) && u.IsActive && u.Role == UserRole.Agent).CountAsync(ct);
            if (agents != agentIds.Count) errors["areas"] = ["Each area's agent must be an active Agent."];
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

            var settings = await db.Set<LeadRoutingSettings>().SingleOrDefaultAsync(ct);
            if (settings is null) db.Add(settings = new LeadRoutingSettings());
            settings.Mode = request.Mode;
            settings.AreaRules = areas;
            settings.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(new LeadRoutingResponse(settings.Mode, settings.AreaRules));
        });
        return app;
    }
}
