using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Crm;

/// <summary>A request that must be refused: the status, and the field the problem must name (null: no field).</summary>
public sealed record BadCase(string Method, string Path, string? Json, int Status, string? Field)
{
    public BadCase(string method, string path, int status, string? field) : this(method, path, null, status, field) { }

    /// <summary>The body's media type; a form body is sent as it is written.</summary>
    public string ContentType { get; init; } = "application/json";

    public override string ToString() => $"{Method} {Path} {(Json is null ? "" : Json.Length > 80 ? Json[..80] + "…" : Json)}";
}

/// <summary>
/// Sends bad requests and checks each answer is a ProblemDetails with the expected 4xx naming the field, and that
/// nothing in the database changed (row counts and every UpdatedAt; the clock moves between requests, so any
/// write would show).
/// </summary>
public static class BadInput
{
    public static readonly string Long = new('x', 10_000);

    public static async Task AssertAllRejectedAsync(AppFactory app, HttpClient client, IEnumerable<BadCase> cases)
    {
        var failures = new StringBuilder();
        foreach (var bad in cases)
        {
            var before = await SnapshotAsync(app);
            app.Time.Advance(TimeSpan.FromMinutes(1));
            using var request = new HttpRequestMessage(new HttpMethod(bad.Method), bad.Path);
            if (bad.Json is not null) request.Content = new StringContent(bad.Json, Encoding.UTF8, new MediaTypeHeaderValue(bad.ContentType));
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var problem = $"{bad}: got {(int)response.StatusCode} {(body.Length > 400 ? body[..400] : body)}";

            if ((int)response.StatusCode != bad.Status) { failures.AppendLine($"expected {bad.Status}; {problem}"); continue; }
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") { failures.AppendLine($"not problem+json; {problem}"); continue; }
            if (bad.Field is not null)
            {
                using var json = JsonDocument.Parse(body);
                if (!json.RootElement.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(bad.Field, out _))
                    failures.AppendLine($"errors do not name '{bad.Field}'; {problem}");
            }
            if (await SnapshotAsync(app) != before) failures.AppendLine($"the database changed; {problem}");
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static Task<string> SnapshotAsync(AppFactory app) => app.WithDbAsync(async db =>
    {
        var parts = new List<object>
        {
            await db.Users.CountAsync(), await db.Properties.CountAsync(), await db.Leads.CountAsync(),
            await db.Showings.CountAsync(), await db.Calls.CountAsync(),
        };
        parts.AddRange((await db.Users.Select(u => new { u.Id, u.UpdatedAt, u.IsActive, u.Role }).ToListAsync()).Cast<object>());
        parts.AddRange((await db.Properties.Select(p => new { p.Id, p.UpdatedAt }).ToListAsync()).Cast<object>());
        parts.AddRange((await db.Leads.Select(l => new { l.Id, l.UpdatedAt, l.AssignedAgentId }).ToListAsync()).Cast<object>());
        parts.AddRange((await db.Showings.Select(s => new { s.Id, s.UpdatedAt, s.Status }).ToListAsync()).Cast<object>());
        return string.Join('|', parts);
    });

    /// <summary>A valid JSON object with one member replaced (or removed when <paramref name="raw"/> is null).</summary>
    public static string With(object valid, string member, string? raw)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(valid))!.AsObject();
        node.Remove(member);
        var json = node.ToJsonString();
        return raw is null ? json : json.TrimEnd('}') + (node.Count > 0 ? "," : "") + $"\"{member}\":{raw}}}";
    }

    public static string Str(string value) => JsonSerializer.Serialize(value);
}
