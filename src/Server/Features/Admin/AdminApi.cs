using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Admin;

/// <summary>User management (Admin only) and the agent picker (Managers too); changes go through <see cref="UserChanges"/>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin);

        users.MapGet("/", async Task<Results<Ok<PagedResponse<UserResponse>>, ValidationProblem>> (
            [AsParameters] UserSearchQuery query, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var filtered = UserSearch.Apply(db.Users.AsNoTracking(), query, errors);
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await filtered
                .Select(u => new UserResponse(u.Id, u.Email, u.Name, u.Role, u.Phone, u.IsActive, u.CreatedAt)).ToPageAsync(query, ct));
        });

        users.MapGet("/{id:int}", async Task<Results<Ok<UserResponse>, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
            await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct) is { } user
                ? TypedResults.Ok(UserResponse.From(user))
                : Problems.NotFound("User"));

        users.MapPost("/", async Task<Results<Created<UserResponse>, ProblemHttpResult>> (
            CreateUserRequest request, AppDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken ct) =>
        {
            var email = LoginService.NormalizeEmail(request.Email);
            if (await db.Users.AnyAsync(u => u.Email == email, ct))
                return Problems.Conflict("A user with that email already exists.");
            var now = time.GetUtcNow();
            var user = new User { Email = email, Name = request.Name.Trim(), Role = request.Role!.Value, Phone = request.Phone, CreatedAt = now, UpdatedAt = now };
            user.PasswordHash = hasher.HashPassword(user, request.Password);
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/admin/users/{user.Id}", UserResponse.From(user));
        });

        users.MapPut("/{id:int}", (int id, UpdateUserRequest request, ClaimsPrincipal me, UserChanges changes, CancellationToken ct) =>
            request.Name is null || request.Role is null
                ? Task.FromResult<Results<Ok<UserResponse>, ProblemHttpResult>>(
                    ProblemResults.Invalid(request.Name is null ? "name" : "role", "PUT replaces the user: name and role are required."))
                : changes.UpdateAsync(id, request, me, ct));

        users.MapPatch("/{id:int}", (int id, UpdateUserRequest request, ClaimsPrincipal me, UserChanges changes, CancellationToken ct) =>
            changes.UpdateAsync(id, request, me, ct));

        users.MapPost("/{id:int}/deactivate", (int id, ClaimsPrincipal me, UserChanges changes, CancellationToken ct) =>
            changes.UpdateAsync(id, new UpdateUserRequest(null, null, null, IsActive: false, null), me, ct));

        app.MapGet("/users/agents", async (AppDbContext db, CancellationToken ct) =>
                TypedResults.Ok(await db.Users.AsNoTracking().Where(u => u.Role == UserRole.Agent && u.IsActive)
                    .OrderBy(u => u.Name).Select(u => new AgentOption(u.Id, u.Name)).ToListAsync(ct)))
            .WithTags("Admin")
            .RequireAuthorization(Policies.ManagerOrAdmin);

        return app;
    }
}
