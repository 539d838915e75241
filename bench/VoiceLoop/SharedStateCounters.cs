using EstateVoice.Server.Tests.Infrastructure;
using Npgsql;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// What several nodes cost the services they share, per call: Redis commands by name (INFO commandstats: the SignalR
/// backplane's PUBLISHes, rate-limit scripts, session-end messages) and PostgreSQL transactions and rows written
/// (pg_stat_database, counted by the server, so every node's writes and its background sweeps are in).
/// </summary>
internal sealed class SharedStateCounters(RedisTarget redis, string databaseConnection)
{
    public sealed record Reading(Dictionary<string, long> Redis, long Transactions, long RowsWritten);

    public async Task<Reading> ReadAsync()
    {
        // PostgreSQL publishes a backend's counts up to a second after its transactions end.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using var connection = new NpgsqlConnection(databaseConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Reading(await redis.CommandCountsAsync(), reader.GetInt64(0), reader.GetInt64(1));
    }

    public static string PerCall(Reading before, Reading after, int calls, int nodes)
    {
        var commands = after.Redis.Select(c => (c.Key, Count: c.Value - before.Redis.GetValueOrDefault(c.Key)))
            .Where(c => c.Count > 0 && c.Key is not "info" and not "client|setinfo" and not "client|setname" and not "hello")
            .OrderByDescending(c => c.Count).ToList();
        var total = commands.Sum(c => c.Count);
        return $"{nodes} nodes, per call: Redis {(double)total / calls:0.0} commands ({string.Join(", ", commands.Take(5).Select(c => $"{c.Key} {(double)c.Count / calls:0.0}"))}), " +
               $"PostgreSQL {(double)(after.Transactions - before.Transactions) / calls:0.0} transactions, {(double)(after.RowsWritten - before.RowsWritten) / calls:0.0} rows written";
    }
}
