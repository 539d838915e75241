using System.Security.Claims;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Auth;

public static class AuthApi
{
    public const string InvalidCredentials = "Invalid email or password.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth").WithTags("Auth");

        group.MapPost("/login", async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> (
            LoginRequest request, LoginService logins, TokenService tokens, CancellationToken ct) =>
        {
            var user = await logins.AuthenticateAsync(request.Email, request.Password, ct);
            if (user is null)
                return Problems.Unauthorized(InvalidCredentials);
            var (token, expiresIn) = tokens.CreateAccessToken(user);
            return TypedResults.Ok(new LoginResponse(token, "bearer", expiresIn, UserResponse.From(user)));
        })
        .AllowAnonymous()
        .RequireRateLimiting(RateLimits.Login);

        group.MapGet("/me", async Task<Results<Ok<UserResponse>, NotFound>> (ClaimsPrincipal principal, AppDbContext db, CancellationToken ct) =>
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == principal.GetUserId(), ct);
            return user is null ? TypedResults.NotFound() : TypedResults.Ok(UserResponse.From(user));
        });

        return app;
    }
}
