using EstateVoice.Server.Infrastructure.Configuration;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EstateVoice.Server.Features.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        var authOptions = AuthOptions.From(builder.Configuration, builder.Services.GetDemoOptions());
        builder.Services.AddSingleton(authOptions);
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddScoped<LoginService>();
        builder.Services.AddScoped<LoginThrottle>();
        builder.Services.AddSingleton<TrustedDevices>();
        builder.Services.AddSingleton<SessionEnds>();
        builder.Services.AddHostedService<SessionEndsAcrossNodes>();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenService, TimeProvider>((jwt, tokens, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TimeProvider = time;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = authOptions.Issuer,
                    ValidAudience = authOptions.Audience,
                    IssuerSigningKey = tokens.SigningKey,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = JwtRegisteredClaimNames.Name,
                    RoleClaimType = CurrentUser.RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    // Lifetime is checked against our TimeProvider so tests can move the clock.
                    LifetimeValidator = (notBefore, expires, _, parameters) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        return (notBefore is null || notBefore <= now + parameters.ClockSkew)
                               && expires is not null && expires > now - parameters.ClockSkew;
                    },
                };
                jwt.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSocket/SignalR/<audio> requests: accept ?access_token= there only.
                    OnMessageReceived = context =>
                    {
                        var path = context.HttpContext.Request.Path;
                        if (context.Request.Query.TryGetValue("access_token", out var token)
                            && (path.StartsWithSegments("/hubs") || path.StartsWithSegments("/voice") || path.Value?.EndsWith("/recording") == true))
                            context.Token = token;
                        return Task.CompletedTask;
                    },
                    // A deactivation, role change or new password ends earlier tokens on their next request, not at
                    // expiry. This one-row read by primary key was already here; the stamp rides along, so revocation
                    // is immediate with no cache to go stale.
                    OnTokenValidated = async context =>
                    {
                        var principal = context.Principal!;
                        var db = context.HttpContext.RequestServices.GetRequiredService<AppDbContext>();
                        var id = principal.GetUserId();
                        var session = await db.Users.AsNoTracking().Where(u => u.Id == id)
                            .Select(SessionState.OfUser).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
                        if (session is null || !session.Accepts(principal))
                            context.Fail("The account is inactive, or its role, password or sessions changed.");
                    },
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(UserRole.Admin)))
            .AddPolicy(Policies.ManagerOrAdmin, p => p.RequireRole(nameof(UserRole.Admin), nameof(UserRole.Manager)))
            // Secure by default: an endpoint is public only when it says AllowAnonymous.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }
}
