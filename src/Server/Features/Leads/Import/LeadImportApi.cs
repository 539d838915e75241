using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace EstateVoice.Server.Features.Leads.Import;

/// <summary>
/// <c>POST /leads/import</c> (Managers and Admins): a multipart form whose text fields come first —
/// <c>mapping</c> (JSON object: CSV header → lead field, e.g. <c>{"Mobile":"phone"}</c>; without it headers named like
/// the fields map themselves), <c>duplicates</c> (<c>skip</c>, the default, or <c>merge</c>), optionally
/// <c>assigned_agent_id</c> — then <c>file</c>, the CSV with a header row. The file is read as it arrives, never
/// buffered whole.
/// </summary>
public static class LeadImportApi
{
    public const long MaxUploadBytes = 64L * 1024 * 1024;
    private const int MaxFieldBytes = 64 * 1024;

    public static RouteHandlerBuilder MapLeadImport(this RouteGroupBuilder leads) =>
        leads.MapPost("/import", async Task<Results<Ok<LeadImportResult>, ProblemHttpResult>> (
                HttpContext http, AppDbContext db, PhoneNormalizer phones, DoNotCallList doNotCall, Routing.LeadRouter router, TimeProvider time,
                CancellationToken ct) =>
            {
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxUploadBytes;
                if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
                    return ProblemResults.Invalid("file", "Send the CSV as multipart/form-data with a part named file.");

                var reader = new MultipartReader(boundary, http.Request.Body);
                var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    if (!name.Equals("file", StringComparison.OrdinalIgnoreCase))
                    {
                        if (await ReadFieldAsync(section.Body, ct) is not { } value) return ProblemResults.Invalid(name, "This form field is too long.");
                        fields[name] = value;
                        continue;
                    }
                    var options = Options(fields);
                    if (options.Problem is { } optionsProblem) return optionsProblem;
                    if (options.AssignedAgentId is { } agentId && !await db.Users.AnyAsync(u => u.Id == agentId && u.IsActive, ct))
                        return ProblemResults.Invalid("assigned_agent_id", $"No active user has id {agentId}.");

                    var csv = new CsvReader(new StreamReader(section.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true));
                    if (await csv.ReadAsync(ct) is not { } header) return ProblemResults.Invalid("file", "The file is empty; it needs a header row.");
                    var columns = Columns(header, options.Mapping);
                    if (columns.Problem is { } mappingProblem) return mappingProblem;
                    var context = new LeadImportContext(phones, options.Duplicates, options.AssignedAgentId, time.GetUtcNow());
                    var importer = new LeadImporter(db, router);
                    var result = await importer.ImportAsync(csv, columns.Fields!, context, ct);
                    // Like a user marking one lead: every number the file marks do-not-call goes on the team's list and
                    // queued dials to it are cancelled at once.
                    await doNotCall.AddManyAsync(importer.MarkedDoNotCall, DoNotCallSources.Import, "Marked do-not-call in an imported file",
                        http.User.GetUserId(), ct);
                    await router.NotifyImportedAsync(importer.RoutedPerAgent, ct);
                    return TypedResults.Ok(result);
                }
                return ProblemResults.Invalid("file", "No file: add the CSV as a part named file, after mapping and duplicates.");
            })
            .RequireAuthorization(Policies.ManagerOrAdmin)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");

    private sealed record ImportOptions(Dictionary<string, string>? Mapping, DuplicateHandling Duplicates, int? AssignedAgentId, ProblemHttpResult? Problem);

    private static ImportOptions Options(Dictionary<string, string> fields)
    {
        Dictionary<string, string>? mapping = null;
        if (fields.TryGetValue("mapping", out var json) && !string.IsNullOrWhiteSpace(json))
        {
            try
            {
                mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            }
            catch (JsonException)
            {
                return Fail("mapping", """mapping is a JSON object from CSV header to lead field, e.g. {"Mobile":"phone"}.""");
            }
        }
        var duplicates = DuplicateHandling.Skip;
        if (fields.TryGetValue("duplicates", out var d) && !string.IsNullOrWhiteSpace(d) && !Enum.TryParse(d, ignoreCase: true, out duplicates))
            return Fail("duplicates", "duplicates is skip or merge.");
        int? agent = null;
        if (fields.TryGetValue("assigned_agent_id", out var a) && !string.IsNullOrWhiteSpace(a))
        {
            if (!int.TryParse(a, out var id)) return Fail("assigned_agent_id", "assigned_agent_id is a user id.");
            agent = id;
        }
        return new ImportOptions(mapping, duplicates, agent, null);

        static ImportOptions Fail(string field, string message) => new(null, default, null, ProblemResults.Invalid(field, message));
    }

    private sealed record ColumnMap(string?[]? Fields, ProblemHttpResult? Problem);

    /// <summary>The lead field of each column (null = ignored), checked: known fields, each at most once, name and phone present.</summary>
    private static ColumnMap Columns(string[] header, Dictionary<string, string>? mapping)
    {
        var byHeader = mapping is null ? null : new Dictionary<string, string>(mapping, StringComparer.OrdinalIgnoreCase);
        var fields = new string?[header.Length];
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var column = header[i].Trim();
            string? field = byHeader is null
                ? (LeadImportFields.Exists(column.Replace(' ', '_')) ? column.Replace(' ', '_').ToLowerInvariant() : null)
                : byHeader.TryGetValue(column, out var f) && !string.IsNullOrWhiteSpace(f) ? f.Trim().ToLowerInvariant() : null;
            if (field is null) continue;
            if (!LeadImportFields.Exists(field))
                return new(null, ProblemResults.Invalid("mapping", $"Column '{Short(column)}' is mapped to '{Short(field)}', which is not a lead field."));
            if (!used.Add(field))
                return new(null, ProblemResults.Invalid("mapping", $"Two columns are mapped to {field}; map each field once."));
            fields[i] = field;
        }
        foreach (var required in new[] { LeadImportFields.Name, LeadImportFields.Phone })
            if (!used.Contains(required))
                return new(null, ProblemResults.Invalid("mapping", $"Map a column to {required}: every lead needs one."));
        return new(fields, null);
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] : text;

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
