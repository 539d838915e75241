using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using EstateVoice.Server.Features.Outbound.SpeedToLead;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Leads.Intake;

/// <summary>
/// What a website's lead form posts. Consent wording is kept as sent, its time as the same instant (in UTC);
/// <c>do_not_call</c> (the visitor asked not to be called) puts the number on the do-not-call list.
/// </summary>
public sealed record LeadIntakeRequest(
    [property: Required, MinLength(1), MaxLength(200)] string Name,
    [property: Required, MaxLength(40)] string Phone,
    [property: EmailAddress, MaxLength(254)] string? Email,
    [property: MaxLength(4000)] string? Message,
    bool? ConsentToCall,
    [property: MaxLength(2000)] string? ConsentText,
    DateTimeOffset? ConsentAt,
    [property: MaxLength(200)] string? SourceSite,
    bool? DoNotCall = null);

public sealed record LeadIntakeResponse(int Id);

/// <summary>
/// <c>POST /leads/intake</c>: a website's form creates a lead with its integration key in <c>X-Integration-Key</c>
/// (no user token: the site has no user). Rate limited per key (<c>LEAD_INTAKE_RATE_LIMIT_PER_MINUTE</c>, shared
/// through Redis when nodes share one); a missing, unknown or revoked key is 401 and nothing is written.
/// </summary>
public static class LeadIntakeApi
{
    public const string KeyHeader = "X-Integration-Key";
    public const string RateLimitPolicy = "lead-intake";

    public static IServiceCollection AddLeadIntakeRateLimit(this IServiceCollection services)
    {
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IOptions<LeadOptions>>((limiter, leads) =>
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                // Per key (its hash, never the secret, names the counter); a request without one is counted per client IP.
                var key = context.Request.Headers[KeyHeader].ToString();
                var partition = key.Length is > 0 and <= 200 ? "key:" + IntegrationKeysApi.Hash(key)[..32] : "ip:" + RateLimits.ClientIp(context);
                return RateLimits.Partition(context, RateLimitPolicy, partition, leads.Value.IntakeRateLimitPerMinute);
            }));
        return services;
    }

    public static RouteHandlerBuilder MapLeadIntake(this RouteGroupBuilder leads) =>
        leads.MapPost("/intake", async Task<Results<Created<LeadIntakeResponse>, ValidationProblem, ProblemHttpResult>> (
                LeadIntakeRequest request, HttpContext http, AppDbContext db, PhoneNormalizer phones, SpeedToLeadCampaign speedToLead,
                Routing.LeadRouter router, Outbound.Compliance.DoNotCallList doNotCall, TimeProvider time, CancellationToken ct) =>
            {
                var presented = http.Request.Headers[KeyHeader].ToString();
                var hash = presented.Length is > 0 and <= 200 ? IntegrationKeysApi.Hash(presented) : null;
                var key = hash is null ? null : await db.IntegrationKeys.SingleOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, ct);
                if (key is null)
                    return TypedResults.Problem($"A valid {KeyHeader} is required; ask an admin for this site's integration key.",
                        statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
                if (phones.Normalize(request.Phone) is not { } phone) return ProblemResults.Invalid("phone", PhoneNormalizer.Message);
                if (request.ConsentAt is { } at && !InputLimits.IsTime(at)) return ProblemResults.Invalid("consent_at", "consent_at is not a plausible time.");

                var now = time.GetUtcNow();
                var consent = request.ConsentToCall ?? !string.IsNullOrWhiteSpace(request.ConsentText);
                var lead = new Lead
                {
                    Name = request.Name.Trim(), Phone = phone, Email = request.Email?.Trim(), Notes = request.Message, Source = LeadSource.Website,
                    ConsentToCall = consent, ConsentText = request.ConsentText, ConsentAt = request.ConsentAt?.ToUniversalTime() ?? (consent ? now : null),
                    SourceSite = string.IsNullOrWhiteSpace(request.SourceSite) ? key.Site : request.SourceSite.Trim(), DoNotCall = request.DoNotCall ?? false,
                    CreatedAt = now, UpdatedAt = now,
                };
                db.Leads.Add(lead);
                key.LastUsedAt = now;
                var routed = await router.RouteAsync([lead], ct);
                // With consent, speed to lead calls it now (one save: the lead never exists without its place in the queue).
                var queued = await speedToLead.AddAsync(db, lead, ct);
                await db.SaveChangesAsync(ct);
                if (queued) speedToLead.Wake();
                // Through the one list, as the leads API and the voice tool do: listed, and every queued attempt to the number cancelled.
                if (lead.DoNotCall)
                    await doNotCall.AddAsync(phone, Outbound.Compliance.DoNotCallSources.Intake, "Asked not to be called on the website's form.", null, lead.Id, ct);
                await router.NotifyAsync(routed, ct);
                return TypedResults.Created((string?)null, new LeadIntakeResponse(lead.Id));
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicy);
}
