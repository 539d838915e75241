using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Features.Telephony;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EstateVoice.Server.Tests.Fuzz;

/// <summary>
/// Every operation in <c>/openapi/v1.json</c>, as each role and anonymously, with one bad value at a time (see
/// <see cref="FuzzCases"/>): the server may refuse anything, but never with a 5xx. Each caller gets a fresh app over
/// the demo data, so what one caller's requests delete or deactivate cannot blind the next.
/// </summary>
public sealed class OpenApiFuzzTests(ITestOutputHelper output)
{
    private sealed record Failure(FuzzRequest Request, int Status, string Body);

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task No_request_built_from_the_api_description_gets_a_5xx(Db db)
    {
        await using var twilio = await FakeTwilioRestServer.StartAsync();
        var failures = new List<Failure>();
        var (sent, notProblem) = (0, 0);
        var clock = Stopwatch.StartNew();
        foreach (UserRole? role in new UserRole?[] { null, UserRole.Admin, UserRole.Manager, UserRole.Agent })
        {
            var before = (sent, failures.Count);
            await using var app = await AppFactory.CreateAsync(db, Settings(twilio));
            // The seeded demo users, so an Agent has leads, calls and showings of their own to work on.
            var user = role is { } r ? await app.WithDbAsync(d => d.Users.AsNoTracking().SingleAsync(u => u.Email == DemoEmails[r])) : null;
            using var client = user is null ? app.CreateClient() : await app.ClientForAsync(user, DemoPassword);
            var api = new ApiDescription(await app.CreateClient().GetJsonAsync("/openapi/v1.json"));
            var cases = new FuzzCases(api, await ContextAsync(client, user, app.Time.GetUtcNow()));

            var validRefused = new List<string>();
            foreach (var operation in api.Operations())
                foreach (var (request, index) in cases.For(operation).Select((r, i) => (r, i)))
                {
                    var (status, contentType, body) = await SendAsync(client, request);
                    sent++;
                    if (status >= 500) failures.Add(new Failure(request, status, body));
                    else if (status >= 400 && contentType != "application/problem+json") notProblem++;
                    if (index == 0 && status >= 400) validRefused.Add($"{operation} {status}");
                }
            // How deep the run went: the valid request of these operations was refused (auth, a missing record).
            output.WriteLine($"  valid request refused as {role?.ToString() ?? "anonymous"}: {string.Join(", ", validRefused)}");
            if (user is not null && (await SendAsync(client, new FuzzRequest("GET", "/auth/me", null))).Status != 200)
                failures.Add(new Failure(new FuzzRequest("GET", "/auth/me", null), 0, "the fuzzing caller lost its login: later requests tested nothing"));
            output.WriteLine($"fuzz {db} as {role?.ToString() ?? "anonymous"}: {sent - before.sent} requests, {failures.Count - before.Count} 5xx");
        }

        output.WriteLine($"fuzz: {sent} requests, {failures.Count} 5xx ({db}, {clock.Elapsed.TotalSeconds:0.0} s; {notProblem} 4xx without a ProblemDetails body)");
        // FUZZ_FAILURES=<file> keeps every failure (the assertion message shows the first ones) while fixing a run.
        if (Environment.GetEnvironmentVariable("FUZZ_FAILURES") is { Length: > 0 } file)
            await File.AppendAllLinesAsync(file, failures.Select(f => $"{db} {f.Request} -> {f.Status} {f.Body}"));
        Assert.True(failures.Count == 0, Report(failures));
    }

    private const string DemoPassword = "fuzz-demo-password";

    private static readonly Dictionary<UserRole, string> DemoEmails = new()
    {
        [UserRole.Admin] = "admin@example.com", [UserRole.Manager] = "manager@example.com", [UserRole.Agent] = "agent@example.com",
    };

    private static Dictionary<string, string?> Settings(FakeTwilioRestServer twilio) => new()
    {
        ["SEED_DEMO_DATA"] = "true",
        ["DEMO_PASSWORD"] = DemoPassword,
        // Outbound calls reach a fake Twilio, so a valid request gets its 202 rather than "Twilio is not configured".
        ["TWILIO_ACCOUNT_SID"] = FakeTwilioRestServer.AccountSid,
        ["TWILIO_AUTH_TOKEN"] = FakeTwilioRestServer.AuthToken,
        ["TWILIO_PHONE_NUMBER"] = "+15125550123",
        ["TWILIO_API_URL"] = twilio.BaseUrl,
        ["PUBLIC_BASE_URL"] = TwilioTestClient.PublicBaseUrl,
    };

    /// <summary>Ids for valid requests: the first record of each list the caller can see, never the caller's own user.</summary>
    private static async Task<FuzzContext> ContextAsync(HttpClient client, User? user, DateTimeOffset now)
    {
        var firstIds = new Dictionary<string, int>();
        async Task<int> FirstIdAsync(string list)
        {
            if (firstIds.TryGetValue(list, out var known)) return known;
            var (status, _, body) = await SendAsync(client, new FuzzRequest("GET", $"{list}{(list.Contains('?') ? "" : "?")}page_size=5", null));
            var id = 1;
            if (status == 200)
            {
                using var json = JsonDocument.Parse(body);
                var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("items");
                id = items.EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).FirstOrDefault(i => i != user?.Id, 1);
            }
            return firstIds[list] = id;
        }

        // Resolved before fuzzing starts, from the untouched demo data.
        foreach (var list in new[] { "/properties", "/leads", "/calls", "/showings", "/admin/users", "/admin/webhook-events", "/users/agents" })
            await FirstIdAsync(list);
        var bookable = await FirstIdAsync("/properties?status=active&sort=-price&");
        var agentId = user?.Role == UserRole.Agent ? user.Id : firstIds["/users/agents"];
        return new FuzzContext(
            Login: (user?.Email ?? DemoEmails[UserRole.Admin], DemoPassword),
            PathId: path => firstIds.GetValueOrDefault(path[..path.IndexOf("/{", StringComparison.Ordinal)], 1),
            FieldId: field => field switch
            {
                "lead_id" => firstIds["/leads"],
                "property_id" => bookable,
                _ when field.EndsWith("agent_id", StringComparison.Ordinal) => agentId,
                _ => 1,
            },
            Now: now);
    }

    private static async Task<(int Status, string? ContentType, string Body)> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }
        try
        {
            using var response = await client.SendAsync(message);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            // The in-memory server surfaces a failure after the response started as an exception: count it as a 5xx.
            return (599, null, e.ToString());
        }
    }

    private static string Report(List<Failure> failures)
    {
        var text = new StringBuilder($"{failures.Count} requests got a 5xx:\n");
        foreach (var group in failures.GroupBy(f => f.Request.Method + " " + f.Request.Url.Split('?')[0]))
            text.AppendLine($"  {group.Key}: {group.Count()}");
        foreach (var failure in failures.Take(60))
            text.AppendLine($"{failure.Request} -> {failure.Status} {(failure.Body.Length > 400 ? failure.Body[..400] : failure.Body)}");
        return text.ToString();
    }
}
