using System.Net.Http.Headers;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EstateVoice.Server.Tests.Infrastructure;

public enum Db { Sqlite, Postgres }

/// <summary>
/// The real app over a database of its own (a temp SQLite file, or a fresh database on the test run's PostgreSQL)
/// with a controllable clock. Create one per test: nothing is shared between tests.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public const string JwtSecret = "test-secret-key-that-is-long-enough-0123456789";
    public const string Password = "Correct-Horse-9";

    private readonly string databaseUrl;
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("estate-test-").FullName;
    private readonly Dictionary<string, string?> settings;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero));
    public Db Db { get; }

    private AppFactory(Db db, string databaseUrl, Dictionary<string, string?> settings)
    {
        Db = db;
        this.databaseUrl = databaseUrl;
        this.settings = settings;
    }

    public static async Task<AppFactory> CreateAsync(Db db, Dictionary<string, string?>? settings = null)
    {
        var url = db == Db.Postgres
            ? await PostgresServer.CreateDatabaseAsync()
            : $"sqlite:///{Path.Combine(Path.GetTempPath(), $"estate-{Guid.NewGuid():N}.db")}";
        return Start(new AppFactory(db, url, settings ?? []));
    }

    /// <summary>The app on a database of the caller's (e.g. on a <see cref="PostgresCluster"/> the test restarts).</summary>
    public static AppFactory CreateOnPostgres(string connectionString, Dictionary<string, string?>? settings = null) =>
        Start(new AppFactory(Db.Postgres, connectionString, settings ?? []));

    private static AppFactory Start(AppFactory factory)
    {
        _ = factory.Server; // start now: migrations run here, not in the middle of the first request
        return factory;
    }

    public static IEnumerable<object[]> Databases => [[Db.Sqlite], [Db.Postgres]];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URL", databaseUrl);
        builder.UseSetting("JWT_SECRET_KEY", JwtSecret);
        builder.UseSetting("SEED_DEMO_DATA", "false");
        builder.UseSetting("DATA_DIR", dataDirectory);
        builder.UseSetting("LOGIN_RATE_LIMIT_PER_MINUTE", "1000");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task WithDbAsync(Func<AppDbContext, Task> work) => WithDbAsync(async db => { await work(db); return true; });

    public Task<User> CreateUserAsync(UserRole role, string? email = null, string password = Password, bool active = true) =>
        WithDbAsync(async db =>
        {
            var user = new User
            {
                Email = LoginService.NormalizeEmail(email ?? $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com"),
                Name = $"{role} {Guid.NewGuid().ToString("N")[..6]}",
                Role = role, IsActive = active, Phone = "+14155550199",
                CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow(),
            };
            user.PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user;
        });

    /// <summary>An HttpClient signed in as <paramref name="user"/> through the real login endpoint.</summary>
    public async Task<HttpClient> ClientForAsync(User user, string password = Password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/auth/login", new { email = user.Email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return client;
    }

    public async Task<HttpClient> ClientForRoleAsync(UserRole role) => await ClientForAsync(await CreateUserAsync(role));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
        if (databaseUrl.StartsWith("sqlite:///"))
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(databaseUrl["sqlite:///".Length..] + suffix);
    }
}
