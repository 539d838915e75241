using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the whole test run (one <see cref="PostgresCluster"/>, started on first use).
/// Each test gets its own database from <see cref="CreateDatabaseAsync"/>, so tests share no rows.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<PostgresCluster>> Server = new(() => PostgresCluster.StartAsync());

    public static async Task<string> CreateDatabaseAsync() => await (await Server.Value).CreateDatabaseAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Creates a fresh database on <paramref name="adminConnection"/>'s server and returns its connection string.</summary>
internal static class PostgresDatabases
{
    public static async Task<string> CreateAsync(string adminConnection)
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
            await command.ExecuteNonQueryAsync();
        // Every test app has its own pool (one per database), and Npgsql keeps idle connections for 5 minutes: with
        // hundreds of test apps and their background workers in a run, idle pools of finished tests exhausted the
        // server ("53300: too many clients"). A test's pool lets go of an idle connection within seconds.
        return new NpgsqlConnectionStringBuilder(adminConnection) { Database = name, ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1 }.ConnectionString;
    }
}
