using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Tests.Infrastructure;

// Lead import benchmark (README "Benchmarks"): a CSV of 50 000 leads (1 % repeated phones, 0.2 % bad rows) posted
// to POST /leads/import of the real server (release build, its own process), once on SQLite and once on a
// PostgreSQL this run starts. Target: each import answers within 30 s; exits 1 when either misses.
//   dotnet run --project bench/LeadImport -c Release [-- --rows 50000 --seconds 30]
var rows = int.Parse(Arg("--rows") ?? "50000");
var target = TimeSpan.FromSeconds(double.Parse(Arg("--seconds") ?? "30"));
var csv = Csv(rows);
Console.WriteLine($"Lead import benchmark — {rows:N0} rows ({csv.Length / 1024.0 / 1024:0.0} MiB), {Environment.ProcessorCount} cores, " +
                  $"load average {LoadAverage()} (shared machine: figures are an upper bound)");

var pass = true;
foreach (var database in new[] { "sqlite", "postgres" })
{
    var environment = new Dictionary<string, string> { ["SEED_DEMO_DATA"] = "true", ["Logging__LogLevel__Default"] = "Warning" };
    if (database == "postgres") environment["DATABASE_URL"] = await PostgresServer.CreateDatabaseAsync();
    await using var server = await ServerNode.StartAsync(environment);
    using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
    var login = await http.PostAsJsonAsync("/auth/login", new { email = "admin@example.com", password = "password" });
    login.EnsureSuccessStatusCode();
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());

    // Warm-up (JIT, connections): a small file, not measured.
    (await http.PostAsync("/leads/import", Form(Csv(200, phoneOffset: 900_000)))).EnsureSuccessStatusCode();

    var cpuBefore = CpuSeconds(server.Pid);
    var clock = Stopwatch.StartNew();
    var response = await http.PostAsync("/leads/import", Form(csv));
    clock.Stop();
    var cpu = CpuSeconds(server.Pid) - cpuBefore;
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        Console.WriteLine($"  {database,-8} ✘ {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        pass = false;
        continue;
    }
    var result = JsonDocument.Parse(body).RootElement;
    var ok = clock.Elapsed <= target;
    pass &= ok;
    Console.WriteLine($"  {database,-8} {(ok ? "✔" : "✘")} {clock.Elapsed.TotalSeconds:0.00} s, {rows / clock.Elapsed.TotalSeconds:N0} rows/s " +
                      $"(created {result.GetProperty("created")}, skipped {result.GetProperty("skipped")}, failed {result.GetProperty("failed")}); target ≤ {target.TotalSeconds:0} s");
    // The server's own CPU time for the import: what the import costs, whatever else the shared machine runs.
    Console.WriteLine($"           server CPU {cpu:0.00} s ({rows / Math.Max(cpu, 0.001):N0} rows per CPU-second), load average now {LoadAverage()}");
}
Console.WriteLine(pass ? "✔ every import within target" : "✘ target missed");
return pass ? 0 : 1;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static MultipartFormDataContent Form(byte[] csv)
{
    var form = new MultipartFormDataContent
    {
        { new StringContent("""{"Full name":"name","Phone number":"phone","Email":"email","Intent":"intent","Budget":"budget_max","Areas":"preferred_areas","Consent":"consent_to_call"}"""), "mapping" },
        { new StringContent("skip"), "duplicates" },
    };
    var file = new ByteArrayContent(csv);
    file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    form.Add(file, "file", "leads.csv");
    return form;
}

static byte[] Csv(int rows, int phoneOffset = 0)
{
    var random = new Random(42);
    string[] intents = ["buying", "sell", "rent", ""];
    string[] areas = ["Austin", "Round Rock; Cedar Park", "Pflugerville", "Georgetown; Leander; Hutto"];
    var text = new StringBuilder("Full name,Phone number,Email,Intent,Budget,Areas,Consent\n");
    for (var i = 0; i < rows; i++)
    {
        var n = phoneOffset + (random.Next(100) == 0 && i > 0 ? random.Next(i) : i); // ~1 % repeat an earlier phone
        var phone = random.Next(500) == 0 ? "not a phone" : $"(512) {200 + n / 10_000:000}-{n % 10_000:0000}";
        text.Append($"\"Lead {i}, Jr\",{phone},lead{i}@example.com,{intents[i % 4]},\"${250_000 + i % 500 * 1000:N0}\",{areas[i % 4]},{(i % 2 == 0 ? "yes" : "no")}\n");
    }
    return Encoding.UTF8.GetBytes(text.ToString());
}

static double CpuSeconds(int pid)
{
    var path = $"/proc/{pid}/stat";
    if (!File.Exists(path)) return 0;
    var fields = File.ReadAllText(path).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime in clock ticks (USER_HZ = 100)
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
