using System.Diagnostics;
using System.Globalization;

namespace EstateVoice.Bench.Webhooks;

/// <summary>
/// CPU used by each party during a phase — this load generator, the server and (on PostgreSQL) the database's
/// processes — as a share of one core. On a 2-core machine shared by all three, it shows whether the server or the
/// generator is the limit.
/// </summary>
public sealed class CpuMeter(Func<TimeSpan> serverCpu, int? postmasterPid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public readonly record struct Sample(TimeSpan Generator, TimeSpan Server, TimeSpan Database, long At);

    public Sample Take() => new(Process.GetCurrentProcess().TotalProcessorTime, serverCpu(), DatabaseCpu(), Stopwatch.GetTimestamp());

    public static string Describe(Sample from, Sample to)
    {
        var seconds = Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
        string Share(TimeSpan a, TimeSpan b) => ((b - a).TotalSeconds / seconds * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
        return $"cpu (100% = one core): server {Share(from.Server, to.Server)}, generator {Share(from.Generator, to.Generator)}, database {Share(from.Database, to.Database)}";
    }

    /// <summary>The postmaster and its children (backends, WAL writer, …), from /proc; zero on SQLite.</summary>
    private TimeSpan DatabaseCpu()
    {
        if (postmasterPid is not { } root) return TimeSpan.Zero;
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // Fields after the ")" that closes the command name: state ppid ... utime(12th) stime(13th).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (pid != root && fields[1] != root.ToString(CultureInfo.InvariantCulture)) continue;
            ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The cluster's postmaster, from postmaster.pid in its data directory (asked of the server itself).</summary>
    public static async Task<int?> PostmasterPidAsync(Npgsql.NpgsqlConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT setting FROM pg_settings WHERE name = 'data_directory'";
        var dataDirectory = (string)(await command.ExecuteScalarAsync())!;
        var firstLine = (await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid")))[0];
        return int.Parse(firstLine, CultureInfo.InvariantCulture);
    }
}
