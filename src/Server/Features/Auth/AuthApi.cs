using System.Globalization;
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
            LoginRequest request, HttpContext http, LoginService logins, TrustedDevices devices, TokenService tokens, CancellationToken ct) =>
        {
            var email = LoginService.NormalizeEmail(request.Email);
            var device = devices.Recognise(http.Request.Cookies[TrustedDevices.CookieName], email);
            var (user, retryAfter) = await logins.AuthenticateAsync(email, request.Password, device, ct);
            if (retryAfter is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem($"Too many failed sign-ins for this email; try again in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
            }
            if (user is null)
                return Problems.Unauthorized(InvalidCredentials);
            devices.Remember(http, email);
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
