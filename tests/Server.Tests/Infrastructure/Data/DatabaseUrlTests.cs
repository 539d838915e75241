using EstateVoice.Server.Infrastructure.Data;

namespace EstateVoice.Server.Tests.Infrastructure.Data;

public class DatabaseUrlTests
{
    [Fact]
    public void Relative_sqlite_url_resolves_against_the_working_directory()
    {
        var url = DatabaseUrl.Parse("sqlite:///data/estate.db", "/srv/app");
        Assert.Equal(DatabaseProvider.Sqlite, url.Provider);
        Assert.Contains("Data Source=/srv/app/data/estate.db", url.ConnectionString);
    }

    [Fact]
    public void Absolute_sqlite_url_keeps_its_path()
    {
        var url = DatabaseUrl.Parse("sqlite:////var/lib/estate.db", "/srv/app");
        Assert.Contains("Data Source=/var/lib/estate.db", url.ConnectionString);
    }

    [Fact]
    public void Missing_url_defaults_to_the_sqlite_file_under_data()
    {
        var url = DatabaseUrl.Parse(null, "/srv/app");
        Assert.Contains("/srv/app/data/estate.db", url.ConnectionString);
    }

    [Theory]
    [InlineData("postgresql://estate:s%40cret@db.example.com:6543/crm?sslmode=require")]
    [InlineData("postgresql+psycopg2://estate:s%40cret@db.example.com:6543/crm?sslmode=require")]
    [InlineData("postgres://estate:s%40cret@db.example.com:6543/crm?sslmode=require")]
    public void Postgres_url_becomes_an_npgsql_connection_string(string value)
    {
        var url = DatabaseUrl.Parse(value, "/");
        Assert.Equal(DatabaseProvider.Postgres, url.Provider);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(url.ConnectionString);
        Assert.Equal(("db.example.com", 6543, "crm", "estate", "s@cret", Npgsql.SslMode.Require),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
    }

    [Fact]
    public void Plain_npgsql_connection_string_is_accepted()
    {
        var url = DatabaseUrl.Parse("Host=127.0.0.1;Port=5433;Username=estate;Database=crm", "/");
        Assert.Equal(DatabaseProvider.Postgres, url.Provider);
        Assert.Contains("Port=5433", url.ConnectionString);
    }

    [Fact]
    public void Nonsense_is_refused_without_echoing_the_password()
    {
        var error = Assert.Throws<FormatException>(() => DatabaseUrl.Parse("mysql://root:hunter2@x/db", "/"));
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
