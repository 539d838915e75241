using Microsoft.Data.Sqlite;
using Npgsql;

namespace EstateVoice.Server.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// The seed's <c>DATABASE_URL</c> in SQLAlchemy's form (<c>sqlite:///rel.db</c>, <c>sqlite:////abs.db</c>,
/// <c>postgresql://user:pass@host:port/db</c>) or a plain SQLite / Npgsql connection string.
/// </summary>
public sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString)
{
    public const string Default = "sqlite:///data/estate.db";

    public static DatabaseUrl Parse(string? value, string baseDirectory)
    {
        var url = string.IsNullOrWhiteSpace(value) ? Default : value.Trim();
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            return FromSqliteUrl(url, baseDirectory);
        var scheme = url.Split("://", 2)[0].Split('+')[0].ToLowerInvariant();
        if (url.Contains("://") && scheme is "postgresql" or "postgres")
            return FromPostgresUrl(url);
        if (url.Contains("Data Source=", StringComparison.OrdinalIgnoreCase) || url.Contains("Filename=", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Sqlite, url);
        if (url.Contains("Host=", StringComparison.OrdinalIgnoreCase) || url.Contains("Server=", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(url).ConnectionString);
        throw new FormatException(
            $"DATABASE_URL is not understood: expected sqlite:///path.db, postgresql://user:pass@host:port/db or a connection string (got '{Redact(url)}').");
    }

    private static DatabaseUrl FromSqliteUrl(string url, string baseDirectory)
    {
        // sqlite:///relative.db → "relative.db"; sqlite:////abs/x.db → "/abs/x.db"; sqlite:///:memory: → in-memory.
        var rest = url["sqlite:".Length..];
        if (!rest.StartsWith("///"))
            throw new FormatException("DATABASE_URL: a SQLite URL needs three slashes, e.g. sqlite:///data/estate.db.");
        var path = rest[3..];
        if (path is ":memory:" or "")
            return new(DatabaseProvider.Sqlite, "Data Source=:memory:");
        var fullPath = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
        var builder = new SqliteConnectionStringBuilder { DataSource = fullPath, Cache = SqliteCacheMode.Default, Pooling = true };
        return new(DatabaseProvider.Sqlite, builder.ConnectionString);
    }

    private static DatabaseUrl FromPostgresUrl(string url)
    {
        var uri = new Uri("postgresql://" + url.Split("://", 2)[1]);
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase) && kv.Length == 2
                && Enum.TryParse<SslMode>(kv[1].Replace("-", ""), ignoreCase: true, out var mode))
                builder.SslMode = mode;
        }
        return new(DatabaseProvider.Postgres, builder.ConnectionString);
    }

    private static string Redact(string url) => System.Text.RegularExpressions.Regex.Replace(url, "(?i)(password=)[^;]*|(://[^:/@]+:)[^@]*@", "$1$2***@");
}
