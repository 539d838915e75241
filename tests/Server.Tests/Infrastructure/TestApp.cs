using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// What every test server shares, whichever factory hosts it (<see cref="AppFactory"/> in memory,
/// <c>VoiceAppFactory</c> on Kestrel): a database and a data directory of its own, the test settings, and users
/// made the way the product stores them. One place, so the two factories cannot drift apart.
/// </summary>
public sealed class TestApp
{
    public const string JwtSecret = ServerNode.JwtSecret;
    public const string Password = "Correct-Horse-9";

    private TestApp(Db db, string databaseUrl) => (Db, DatabaseUrl) = (db, databaseUrl);

    public Db Db { get; }
    public string DatabaseUrl { get; }
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("estate-test-").FullName;

    /// <summary>A temp SQLite file, or a fresh database on the test run's PostgreSQL.</summary>
    public static async Task<TestApp> CreateAsync(Db db) =>
        db == Db.Postgres ? new TestApp(db, await PostgresServer.CreateDatabaseAsync()) : Sqlite();

    public static TestApp Sqlite() => new(Db.Sqlite, $"sqlite:///{Path.Combine(Path.GetTempPath(), $"estate-{Guid.NewGuid():N}.db")}");

    /// <summary>On a database the caller owns (e.g. a <see cref="PostgresCluster"/> the test restarts).</summary>
    public static TestApp On(Db db, string databaseUrl) => new(db, databaseUrl);

    /// <summary>The settings every test server starts with (a test's own settings are applied after these).</summary>
    public void Configure(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URL", DatabaseUrl);
        builder.UseSetting("DATA_DIR", DataDirectory);
        builder.UseSetting("JWT_SECRET_KEY", JwtSecret);
        builder.UseSetting("SEED_DEMO_DATA", "false");
        builder.UseSetting("LOGIN_RATE_LIMIT_PER_MINUTE", "1000");
        // A test server stopped with a call still live ends it at once, as before drains existed (drain tests set their own).
        builder.UseSetting("Drain:TimeoutSeconds", "0");
    }

    /// <summary>A user with <see cref="Password"/> (or <paramref name="password"/>) hashed as the product does.</summary>
    public static User NewUser(UserRole role, DateTimeOffset now, string? email = null, string password = Password, bool active = true)
    {
        var user = new User
        {
            Email = LoginService.NormalizeEmail(email ?? $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com"),
            Name = $"{role} {Guid.NewGuid().ToString("N")[..6]}",
            Role = role, IsActive = active, Phone = "+14155550199", CreatedAt = now, UpdatedAt = now,
        };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
        return user;
    }

    /// <summary>A context on this database of the test's own, usable when no server runs on it (stopped, or in another process).</summary>
    public AppDbContext OpenDatabase() => OpenDatabase(DatabaseUrl);

    /// <summary>A context on <paramref name="databaseUrl"/> (a DATABASE_URL value), outside any server.</summary>
    public static AppDbContext OpenDatabase(string databaseUrl)
    {
        var url = Server.Infrastructure.Data.DatabaseUrl.Parse(databaseUrl, Directory.GetCurrentDirectory());
        return url.Provider == DatabaseProvider.Sqlite
            ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(url.ConnectionString).Options)
            : new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(url.ConnectionString).Options);
    }

    /// <summary>Removes the data directory and a SQLite database's files.</summary>
    public void Delete()
    {
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        if (DatabaseUrl.StartsWith("sqlite:///", StringComparison.Ordinal))
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(DatabaseUrl["sqlite:///".Length..] + suffix);
    }
}
