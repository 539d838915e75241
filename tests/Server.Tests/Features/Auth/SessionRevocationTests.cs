using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EstateVoice.Server.Tests.Features.Auth;

/// <summary>A password, role or active change ends every token issued before it, not at the token's expiry.</summary>
public class SessionRevocationTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_password_change_revokes_earlier_tokens_at_once(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var user = await app.CreateUserAsync(UserRole.Agent);
        var before = await app.ClientForAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/auth/me")).StatusCode);

        var changed = await admin.PatchAsJsonAsync($"/admin/users/{user.Id}", new { password = "a-new-password-1" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/auth/me")).StatusCode);
        var after = await app.ClientForAsync(user, "a-new-password-1");
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/auth/me")).StatusCode);
        // A name change is not a security event: the new session survives it.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/admin/users/{user.Id}", new { name = "Renamed" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_from_before_a_deactivation_stays_dead_after_reactivation()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var user = await app.CreateUserAsync(UserRole.Agent);
        var before = await app.ClientForAsync(user);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/users/{user.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/admin/users/{user.Id}", new { is_active = true })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientForAsync(user)).GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_signed_token_without_a_security_stamp_is_refused()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var user = await app.CreateUserAsync(UserRole.Agent);
        // What a token issued before stamps existed looks like: signed with the server's key, all other claims right.
        var legacy = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "estate-voice", Audience = "estate-voice", Expires = app.Time.GetUtcNow().AddHours(1).UtcDateTime,
            IssuedAt = app.Time.GetUtcNow().UtcDateTime, NotBefore = app.Time.GetUtcNow().UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = user.Id.ToString(), ["role"] = "Agent", ["email"] = user.Email, ["name"] = user.Name },
            SigningCredentials = new(TokenService.CreateKey(AppFactory.JwtSecret), SecurityAlgorithms.HmacSha256),
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", legacy);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/auth/me")).StatusCode);
    }
}
