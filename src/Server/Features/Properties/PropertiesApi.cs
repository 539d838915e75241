using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Properties;

/// <summary>Listings: every role reads them (the voice agent quotes them too); Managers and Admins change them.</summary>
public static class PropertiesApi
{
    public static IEndpointRouteBuilder MapPropertiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/properties").WithTags("Properties");
        var writes = group.MapGroup("").RequireAuthorization(Policies.ManagerOrAdmin);

        group.MapGet("/", async Task<Results<Ok<PagedResponse<PropertyResponse>>, ValidationProblem>> (
            [AsParameters] PropertySearchQuery query, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var page = await PropertySearch.PageAsync(db.Properties.AsNoTracking(), query, errors, ct);
            return errors.Any ? errors.ToProblem() : TypedResults.Ok(page);
        });

        group.MapGet("/{id:int}", async Task<Results<Ok<PropertyResponse>, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
            await Find(db, id, ct) is { } property ? TypedResults.Ok(property) : Problems.NotFound("Property"));

        writes.MapPost("/", async Task<Results<Created<PropertyResponse>, ValidationProblem>> (
            PropertyRequest request, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            if (await ListingAgentProblem(db, request.ListingAgentId, ct) is { } problem) return problem;
            var now = time.GetUtcNow();
            var property = new Property { Address = "", City = "", State = "", Zip = "", CreatedAt = now };
            Apply(property, request, now);
            db.Properties.Add(property);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/properties/{property.Id}", (await Find(db, property.Id, ct))!);
        });

        writes.MapPut("/{id:int}", async Task<Results<Ok<PropertyResponse>, ProblemHttpResult, ValidationProblem>> (
            int id, PropertyRequest request, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var property = await db.Properties.SingleOrDefaultAsync(p => p.Id == id, ct);
            if (property is null) return Problems.NotFound("Property");
            if (await ListingAgentProblem(db, request.ListingAgentId, ct) is { } problem) return problem;
            Apply(property, request, time.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok((await Find(db, id, ct))!);
        });

        writes.MapPatch("/{id:int}", async Task<Results<Ok<PropertyResponse>, ProblemHttpResult, ValidationProblem>> (
            int id, PropertyPatch patch, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var property = await db.Properties.SingleOrDefaultAsync(p => p.Id == id, ct);
            if (property is null) return Problems.NotFound("Property");
            if (await ListingAgentProblem(db, patch.ListingAgentId, ct) is { } problem) return problem;
            Apply(property, patch, time.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok((await Find(db, id, ct))!);
        });

        writes.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
            await db.Properties.Where(p => p.Id == id).ExecuteDeleteAsync(ct) == 0 ? Problems.NotFound("Property") : TypedResults.NoContent());

        return app;
    }

    private static Task<PropertyResponse?> Find(AppDbContext db, int id, CancellationToken ct) =>
        db.Properties.AsNoTracking().Where(p => p.Id == id).Select(PropertyResponse.Projection).SingleOrDefaultAsync(ct);

    private static async Task<ValidationProblem?> ListingAgentProblem(AppDbContext db, int? agentId, CancellationToken ct) =>
        agentId is { } id && !await db.Users.AnyAsync(u => u.Id == id && u.IsActive, ct)
            ? Problems.Validation("listing_agent_id", $"No active user has id {id}.")
            : null;

    private static void Apply(Property property, PropertyRequest request, DateTimeOffset now)
    {
        property.Address = request.Address.Trim();
        property.City = PropertySearch.NormalizeCity(request.City);
        property.State = request.State.Trim();
        property.Zip = request.Zip.Trim();
        property.Price = request.Price!.Value;
        property.Bedrooms = request.Bedrooms!.Value;
        property.Bathrooms = request.Bathrooms!.Value;
        property.SquareFeet = request.SquareFeet!.Value;
        property.PropertyType = request.PropertyType!.Value;
        property.Status = request.Status ?? PropertyStatus.Active;
        property.Description = request.Description?.Trim();
        property.Features = request.Features?.Select(f => f.Trim()).ToList() ?? [];
        property.ListingAgentId = request.ListingAgentId;
        property.UpdatedAt = now;
    }

    private static void Apply(Property property, PropertyPatch patch, DateTimeOffset now)
    {
        if (patch.Address is not null) property.Address = patch.Address.Trim();
        if (patch.City is not null) property.City = PropertySearch.NormalizeCity(patch.City);
        if (patch.State is not null) property.State = patch.State.Trim();
        if (patch.Zip is not null) property.Zip = patch.Zip.Trim();
        if (patch.Price is { } price) property.Price = price;
        if (patch.Bedrooms is { } bedrooms) property.Bedrooms = bedrooms;
        if (patch.Bathrooms is { } bathrooms) property.Bathrooms = bathrooms;
        if (patch.SquareFeet is { } squareFeet) property.SquareFeet = squareFeet;
        if (patch.PropertyType is { } type) property.PropertyType = type;
        if (patch.Status is { } status) property.Status = status;
        if (patch.Description is not null) property.Description = patch.Description.Trim();
        if (patch.Features is not null) property.Features = patch.Features.Select(f => f.Trim()).ToList();
        if (patch.ListingAgentId is not null) property.ListingAgentId = patch.ListingAgentId;
        property.UpdatedAt = now;
    }
}
