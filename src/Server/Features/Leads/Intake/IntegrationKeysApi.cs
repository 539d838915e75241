using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads.Intake;

public sealed record IntegrationKeyResponse(int Id, string Site, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The one answer that carries the key itself: it is not stored and cannot be shown again.</summary>
public sealed record CreatedIntegrationKey(int Id, string Site, string Prefix, string Key, DateTimeOffset CreatedAt);

public sealed record IntegrationKeyRequest([property: Required, MinLength(1), MaxLength(200)] string Site);

/// <summary>
/// <c>/admin/integration-keys</c> (Admins): create a key for one website's lead form (the key is in the answer once),
/// list keys (prefix and site only), revoke one. <see cref="Hash"/> is the one way a presented key is looked up.
/// </summary>
public static class IntegrationKeysApi
{
    public const string KeyPrefix = "evk_";

    public static IEndpointRouteBuilder MapIntegrationKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/admin/integration-keys").WithTags("Admin").RequireAuthorization(Policies.Admin);

        keys.MapGet("/", async (AppDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.IntegrationKeys.AsNoTracking().OrderByDescending(k => k.Id)
                .Select(k => new IntegrationKeyResponse(k.Id, k.Site, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToListAsync(ct)));

        keys.MapPost("/", async Task<Results<Created<CreatedIntegrationKey>, ValidationProblem>> (
            IntegrationKeyRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var secret = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var key = new IntegrationKey
            {
                Site = request.Site.Trim(), KeyHash = Hash(secret), Prefix = secret[..12], CreatedById = user.GetUserId(), CreatedAt = time.GetUtcNow(),
            };
            db.IntegrationKeys.Add(key);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/admin/integration-keys/{key.Id}", new CreatedIntegrationKey(key.Id, key.Site, key.Prefix, secret, key.CreatedAt));
        });

        keys.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (int id, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var key = await db.IntegrationKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
            if (key is null) return Problems.NotFound("Integration key");
            key.RevokedAt ??= time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return TypedResults.NoContent();
        });
        return app;
    }

    /// <summary>Hex SHA-256: keys are 256 random bits, so a fast hash is enough (no password stretching needed).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
