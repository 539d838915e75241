using System.Diagnostics;
using System.Text;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Outbound;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// Dial gate benchmark (README "Benchmarks"): the compliance gate's decisions per second for a 100,000-lead campaign
// with a 1,000,000-number national registry file loaded, on a SQLite database holding the leads and their recent
// outbound calls. The campaign asks in batches (ComplianceDialGate.CheckManyAsync: two queries per 1,000 leads);
// single CheckAsync calls are measured too, for comparison. Target: >= 50,000 batch decisions/s; exits 1 on a miss.
//   dotnet run --project bench/DialGate -c Release [-- --leads 100000 --registry 1000000 --target 50000]
var leadCount = int.Parse(Arg("--leads") ?? "100000");
var registrySize = int.Parse(Arg("--registry") ?? "1000000");
var target = double.Parse(Arg("--target") ?? "50000");
Console.WriteLine($"Dial gate benchmark — {leadCount:N0} leads, {registrySize:N0}-number registry, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

var random = new Random(14);
string[] areaCodes = ["212", "415", "312", "808", "303", "602", "907", "512", "617", "206"];
var path = Path.Combine(Path.GetTempPath(), $"estate-dialgate-{Guid.NewGuid():N}.db");
var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={path}").Options;
try
{
    var now = new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero); // a Wednesday: 15:00 in New York, 10:00 in Honolulu
    var sw = Stopwatch.StartNew();
    await using (var db = new SqliteAppDbContext(options))
    {
        await db.Database.EnsureCreatedAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < leadCount; i++)
        {
            db.Leads.Add(new Lead
            {
                Name = $"Lead {i}", Phone = $"+1{areaCodes[i % areaCodes.Length]}{random.Next(2_000_000, 10_000_000)}", ConsentToCall = i % 50 != 0,
                DoNotCall = i % 97 == 0, TimeZone = i % 5 == 0 ? "America/Chicago" : null, CreatedAt = now, UpdatedAt = now,
            });
            if (i % 10_000 == 9_999) { await db.SaveChangesAsync(); db.ChangeTracker.Clear(); }
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        // Half the leads were called once or twice in the last 10 days; one in 20 three times (at the cap).
        for (var leadId = 1; leadId <= leadCount; leadId += 2)
        {
            var calls = leadId % 40 == 1 ? 3 : 1 + leadId % 2;
            for (var c = 0; c < calls; c++)
            {
                var at = now.AddHours(-random.Next(1, 240));
                db.Calls.Add(new Call { CallSid = $"CA{leadId:D10}{c}", Direction = CallDirection.Outbound, LeadId = leadId, StartedAt = at, CreatedAt = at, UpdatedAt = at });
            }
            if (leadId % 20_000 == 19_999) { await db.SaveChangesAsync(); db.ChangeTracker.Clear(); }
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }
    Console.WriteLine($"  data: {leadCount:N0} leads and their calls written in {sw.Elapsed.TotalSeconds:0.0} s");

    // The registry as an uploaded file would be: text, one 10-digit number a line, parsed as the upload endpoint does.
    var file = new StringBuilder(registrySize * 11);
    for (var i = 0; i < registrySize; i++) file.Append(areaCodes[random.Next(areaCodes.Length)]).Append(random.Next(2_000_000, 10_000_000)).Append('\n');
    sw.Restart();
    var parsed = await NationalDncRegistry.ParseAsync(new MemoryStream(Encoding.ASCII.GetBytes(file.ToString())), default);
    var registry = new NationalDncRegistry();
    registry.Replace(parsed.Numbers, 1, now);
    Console.WriteLine($"  registry: {registry.Count:N0} distinct numbers parsed and sorted in {sw.Elapsed.TotalSeconds:0.00} s ({registry.Count * 8 / 1024.0 / 1024:0.0} MiB in memory)");

    var services = new ServiceCollection();
    services.AddScoped<AppDbContext>(_ => new SqliteAppDbContext(options));
    await using var provider = services.BuildServiceProvider();
    var gate = new ComplianceDialGate(provider.GetRequiredService<IServiceScopeFactory>(), registry, Options.Create(new DialComplianceOptions()),
        new FixedTime(now));

    List<Lead> leads;
    await using (var db = new SqliteAppDbContext(options)) leads = await db.Leads.AsNoTracking().OrderBy(l => l.Id).ToListAsync();
    var requests = leads.Select(l => new DialGateRequest(l, DialKind.Campaign, 1)).ToList();

    await gate.CheckManyAsync(requests.Take(5_000).ToList(), default); // warm-up: JIT, connection, time-zone cache
    var rates = new List<double>();
    IReadOnlyList<DialGateDecision> decisions = [];
    for (var run = 0; run < 3; run++)
    {
        sw.Restart();
        decisions = await gate.CheckManyAsync(requests, default);
        rates.Add(requests.Count / sw.Elapsed.TotalSeconds);
    }
    var single = requests.Take(2_000).ToList();
    sw.Restart();
    foreach (var request in single) await gate.CheckAsync(request, default);
    var singleRate = single.Count / sw.Elapsed.TotalSeconds;

    var byCode = decisions.GroupBy(d => d.Code ?? "allowed").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}");
    Console.WriteLine($"  decisions: {string.Join(", ", byCode)}");
    var best = rates.Max();
    Console.WriteLine($"  batch (CheckManyAsync): {string.Join(" / ", rates.Select(r => r.ToString("N0")))} decisions/s; best {best:N0}/s (target >= {target:N0}/s)");
    Console.WriteLine($"  single (CheckAsync, 2 queries each): {singleRate:N0} decisions/s");
    var pass = best >= target;
    Console.WriteLine(pass ? "PASS" : "FAIL: below the target");
    return pass ? 0 : 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
}

static string? Arg(string name)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
