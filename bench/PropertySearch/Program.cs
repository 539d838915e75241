using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Bench.PropertySearch;
using EstateVoice.Bench.VoiceLoop;
using EstateVoice.Server.Tests.Infrastructure;

// Property search benchmark (README "Benchmarks"): 100 000 listings in a PostgreSQL this run starts, the real
// server (release build) in its own process, and an open-loop load generator in a third process.
//   dotnet run --project bench/PropertySearch -c Release [-- --rows 100000 --rate 200 --seconds 30]
//   dotnet EstateVoice.Bench.PropertySearch.dll load --url <base> --token <jwt> --rate 200 --seconds 30   (the generator)
if (args.FirstOrDefault() == "load")
    return await LoadGenerator.RunAsync(new Uri(Arg("--url")!), Arg("--token")!, int.Parse(Arg("--rate") ?? "200"),
        TimeSpan.FromSeconds(int.Parse(Arg("--seconds") ?? "30")));

var rows = int.Parse(Arg("--rows") ?? "100000");
var rate = Arg("--rate") ?? "200";
var seconds = Arg("--seconds") ?? "30";
var repoRoot = FindRepoRoot();

var setup = Stopwatch.StartNew();
var connectionString = await PostgresServer.CreateDatabaseAsync();
var dataDir = Directory.CreateTempSubdirectory("estate-bench-search-").FullName;
await using var server = await ServerNode.StartAsync(new Dictionary<string, string>
{
    ["DATABASE_URL"] = connectionString, ["SEED_DEMO_DATA"] = "true", ["DATA_DIR"] = dataDir,
    ["JWT_SECRET_KEY"] = "bench-secret-key-that-is-long-enough-0123456789", ["Logging__LogLevel__Default"] = "Warning",
});
await PropertyRows.InsertAsync(connectionString, rows, seed: 42);
Console.WriteLine($"Property search benchmark — {rows:N0} properties + demo data in PostgreSQL, server pid {server.Pid}, " +
                  $"{Environment.ProcessorCount} cores, setup {setup.Elapsed.TotalSeconds:0.0} s");

using var http = new HttpClient { BaseAddress = server.BaseUrl };
var login = await http.PostAsJsonAsync("/auth/login", new { email = "admin@example.com", password = "password" });
login.EnsureSuccessStatusCode();
var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
var sample = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, SearchQueries.Next(new Random(1), 1).Path) { Headers = { { "Authorization", $"Bearer {token}" } } });
var sampleBody = await sample.Content.ReadFromJsonAsync<JsonElement>();
Console.WriteLine($"Sample page-50 query: {(int)sample.StatusCode}, total matches {sampleBody.GetProperty("total")}, items {sampleBody.GetProperty("items").GetArrayLength()}");
await QueryPlans.PrintAsync(connectionString);

var self = typeof(LoadGenerator).Assembly.Location;
using var generator = Process.Start(new ProcessStartInfo("dotnet", [self, "load", "--url", server.BaseUrl.ToString(), "--token", token, "--rate", rate, "--seconds", seconds]))!;
await generator.WaitForExitAsync();
try { Directory.Delete(dataDir, true); } catch (IOException) { }
return generator.ExitCode;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "EstateVoice.slnx"))) return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository.");
}
