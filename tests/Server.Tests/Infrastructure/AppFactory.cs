using System.Net.Http.Headers;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
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
    public const string JwtSecret = TestApp.JwtSecret;
    public const string Password = TestApp.Password;

    private readonly TestApp app;
    private readonly Dictionary<string, string?> settings;
    private Action<IServiceCollection>? services;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero));
    public Db Db => app.Db;

    private AppFactory(TestApp app, Dictionary<string, string?> settings)
    {
        this.app = app;
        this.settings = settings;
    }

    public static async Task<AppFactory> CreateAsync(Db db, Dictionary<string, string?>? settings = null) =>
        Start(new AppFactory(await TestApp.CreateAsync(db), settings ?? []));

    /// <summary>The app with services of the test's own added or replaced (e.g. a fault-injecting store, an EF interceptor that holds a query).</summary>
    public static async Task<AppFactory> CreateAsync(Db db, Dictionary<string, string?> settings, Action<IServiceCollection> services) =>
        Start(new AppFactory(await TestApp.CreateAsync(db), settings) { services = services });

    /// <summary>The app on a database of the caller's (e.g. on a <see cref="PostgresCluster"/> the test restarts).</summary>
    public static AppFactory CreateOnPostgres(string connectionString, Dictionary<string, string?>? settings = null) =>
        Start(new AppFactory(TestApp.On(Db.Postgres, connectionString), settings ?? []));

    private static AppFactory Start(AppFactory factory)
    {
        _ = factory.Server; // start now: migrations run here, not in the middle of the first request
        return factory;
    }

    public static IEnumerable<object[]> Databases => [[Db.Sqlite], [Db.Postgres]];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        app.Configure(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            services?.Invoke(s);
        });
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
            var user = TestApp.NewUser(role, Time.GetUtcNow(), email, password, active);
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
        app.Delete();
    }
}
