using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EstateVoice.Server.Tests.Features.Auth;

public class AuthApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Login_returns_a_bearer_token_that_authenticates_me(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var user = await app.CreateUserAsync(UserRole.Manager, email: "Morgan@Example.com");
        var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/auth/login", new { email = "  morgan@example.COM ", password = AppFactory.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(8 * 3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("manager", body.GetProperty("user").GetProperty("role").GetString());
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        var me = await client.GetFromJsonAsync<JsonElement>("/auth/me");
        Assert.Equal(user.Id, me.GetProperty("id").GetInt32());
        Assert.False(me.TryGetProperty("password_hash", out _));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Unknown_user_and_wrong_password_get_the_same_401(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var user = await app.CreateUserAsync(UserRole.Agent);
        var client = app.CreateClient();

        var unknown = await client.PostAsJsonAsync("/auth/login", new { email = "nobody@example.com", password = "x" });
        var wrong = await client.PostAsJsonAsync("/auth/login", new { email = user.Email, password = "wrong" });

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Detail(await unknown.Content.ReadAsStringAsync()), Detail(await wrong.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Expired_tampered_and_foreign_tokens_are_refused()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var user = await app.CreateUserAsync(UserRole.Admin);
        var client = await app.ClientForAsync(user);
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/auth/me")).StatusCode);

        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"Admin\"", "\"Manager\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMe(app, tampered)).StatusCode);

        var foreign = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "estate-voice", Audience = "estate-voice", Expires = app.Time.GetUtcNow().AddHours(1).UtcDateTime,
            IssuedAt = app.Time.GetUtcNow().UtcDateTime, NotBefore = app.Time.GetUtcNow().UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = user.Id.ToString(), ["role"] = "Admin" },
            SigningCredentials = new(TokenService.CreateKey("another-secret-key-that-is-also-long-enough!"), SecurityAlgorithms.HmacSha256),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMe(app, foreign)).StatusCode);

        app.Time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMe(app, token)).StatusCode);
    }

    [Fact]
    public async Task Deactivated_users_lose_access_immediately()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var user = await app.CreateUserAsync(UserRole.Agent);
        var client = await app.ClientForAsync(user);
        await app.WithDbAsync(async d => { (await d.Users.FindAsync(user.Id))!.IsActive = false; await d.SaveChangesAsync(); });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/auth/me")).StatusCode);
        var login = await app.CreateClient().PostAsJsonAsync("/auth/login", new { email = user.Email, password = AppFactory.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Theory]
    [InlineData("{\"email\": \"a@b.com\", \"password\": ", "body")]
    [InlineData("{\"email\": 42, \"password\": \"x\"}", "email")]
    [InlineData("{\"password\": \"x\"}", "email")]
    [InlineData("{\"email\": \"not-an-email\", \"password\": \"x\"}", "email")]
    public async Task Bad_login_bodies_get_a_400_naming_the_field(string json, string field)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var response = await app.CreateClient().PostAsync("/auth/login", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "JWT_SECRET_KEY is not set")]
    [InlineData("too-short", "at least 32")]
    public async Task Startup_stops_when_the_jwt_key_is_missing_or_short(string? key, string message)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["JWT_SECRET_KEY"] = key ?? "" }).ContinueWith(t => t.Exception is null ? t.Result : null);
        // CreateAsync starts the server, so the failure surfaces there.
        Assert.Null(app);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await AppFactory.CreateAsync(Db.Sqlite, new() { ["JWT_SECRET_KEY"] = key ?? "" }));
        Assert.Contains(message, error.ToString());
    }

    private static Task<HttpResponseMessage> GetMe(AppFactory app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync("/auth/me");
    }

    private static string? Detail(string json) => JsonDocument.Parse(json).RootElement.GetProperty("detail").GetString();
}
