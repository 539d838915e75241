using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Admin;

/// <summary>
/// User management (Admin only) and the agent picker (Managers too). Two guards keep the team administrable:
/// nobody deactivates themselves, and the last active Admin cannot be deactivated or demoted.
/// </summary>
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

        users.MapPut("/{id:int}", (int id, UpdateUserRequest request, ClaimsPrincipal me, AppDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken ct) =>
            request.Name is null || request.Role is null
                ? Task.FromResult<Results<Ok<UserResponse>, ProblemHttpResult>>(
                    ProblemResults.Invalid(request.Name is null ? "name" : "role", "PUT replaces the user: name and role are required."))
                : UpdateAsync(id, request, me, db, hasher, time, ct));

        users.MapPatch("/{id:int}", UpdateAsync);

        users.MapPost("/{id:int}/deactivate", (int id, ClaimsPrincipal me, AppDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken ct) =>
            UpdateAsync(id, new UpdateUserRequest(null, null, null, IsActive: false, null), me, db, hasher, time, ct));

        app.MapGet("/users/agents", async (AppDbContext db, CancellationToken ct) =>
                TypedResults.Ok(await db.Users.AsNoTracking().Where(u => u.Role == UserRole.Agent && u.IsActive)
                    .OrderBy(u => u.Name).Select(u => new AgentOption(u.Id, u.Name)).ToListAsync(ct)))
            .WithTags("Admin")
            .RequireAuthorization(Policies.ManagerOrAdmin);

        return app;
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateAsync(
        int id, UpdateUserRequest request, ClaimsPrincipal me, AppDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Problems.NotFound("User");
        if (request.IsActive == false && user.Id == me.GetUserId())
            return Problems.Conflict("You cannot deactivate your own account.");
        var losesAdmin = user.Role == UserRole.Admin && user.IsActive
                         && (request.IsActive == false || (request.Role is { } role && role != UserRole.Admin));
        if (losesAdmin && !await db.Users.AnyAsync(u => u.Id != id && u.Role == UserRole.Admin && u.IsActive, ct))
            return Problems.Conflict("This is the last active admin; make someone else an admin first.");

        if (request.Name is not null) user.Name = request.Name.Trim();
        if (request.Role is { } newRole) user.Role = newRole;
        if (request.Phone is not null) user.Phone = request.Phone;
        if (request.IsActive is { } active) user.IsActive = active;
        if (request.Password is not null)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password);
            user.FailedLoginCount = 0;
            user.LockoutEnd = null;
        }
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(UserResponse.From(user));
    }
}
