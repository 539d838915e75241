using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Outbound;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Tests.Features.Telephony;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Outbound;

/// <summary>The gate as POST /calls/outbound meets it, the admin list and the registry upload, on both databases.</summary>
public sealed class DialGateApiTests
{
    // AppFactory's clock: Wednesday 2026-11-25 15:00 UTC = 10:00 in New York, 05:00 in Honolulu.

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_outbound_call_is_refused_with_the_gates_code_reason_and_retry_time(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var client = await app.ClientForRoleAsync(UserRole.Admin);

        var hawaii = await TwilioWebhookTests.AddLeadAsync(app, "+18085550100", null);
        var early = await ProblemAsync(await client.PostAsJsonAsync("/calls/outbound", new { lead_id = hawaii.Id }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("outside_calling_hours", early.GetProperty("code").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 19, 0, 0, TimeSpan.Zero), early.GetProperty("retry_at").GetDateTimeOffset());
        Assert.Contains("05:00 in Pacific/Honolulu", early.GetProperty("detail").GetString());

        var listed = await TwilioWebhookTests.AddLeadAsync(app, "+12125550101", null);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/admin/do-not-call/", new { phone = "(212) 555-0101", reason = "asked by email" })).StatusCode);
        var dnc = await ProblemAsync(await client.PostAsJsonAsync("/calls/outbound", new { lead_id = listed.Id }), HttpStatusCode.Conflict);
        Assert.Equal("do_not_call", dnc.GetProperty("code").GetString());

        var registered = await TwilioWebhookTests.AddLeadAsync(app, "+12125550102", null);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(client, "2125550102\n")).StatusCode);
        var national = await ProblemAsync(await client.PostAsJsonAsync("/calls/outbound", new { lead_id = registered.Id }), HttpStatusCode.Conflict);
        Assert.Equal("national_dnc_registry", national.GetProperty("code").GetString());

        var busy = await TwilioWebhookTests.AddLeadAsync(app, "+12125550103", null);
        var now = app.Time.GetUtcNow();
        await app.WithDbAsync(async d =>
        {
            foreach (var daysAgo in new[] { 8, 6, 3, 1 })
            {
                d.Calls.Add(new Call
                {
                    CallSid = $"CA{Guid.NewGuid():N}", Direction = CallDirection.Outbound, LeadId = busy.Id, ToNumber = busy.Phone,
                    StartedAt = now.AddDays(-daysAgo), CreatedAt = now.AddDays(-daysAgo), UpdatedAt = now,
                });
            }
            await d.SaveChangesAsync();
        });
        var capped = await ProblemAsync(await client.PostAsJsonAsync("/calls/outbound", new { lead_id = busy.Id }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("attempt_cap", capped.GetProperty("code").GetString());
        // The call 6 days ago leaves the 7-day window tomorrow at 15:00 UTC, but tomorrow is Thanksgiving: Friday 09:00 in New York.
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), capped.GetProperty("retry_at").GetDateTimeOffset());

        var noConsent = await TwilioWebhookTests.AddLeadAsync(app, "+12125550104", null, consent: false);
        var consent = await ProblemAsync(await client.PostAsJsonAsync("/calls/outbound", new { lead_id = noConsent.Id }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("no_consent", consent.GetProperty("code").GetString());

        // A New York lead with consent, on no list and under the cap passes the gate (then meets the unconfigured Twilio: 503).
        var fine = await TwilioWebhookTests.AddLeadAsync(app, "+12125550105", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsJsonAsync("/calls/outbound", new { lead_id = fine.Id })).StatusCode);

        // A campaign-sized batch (read as one snapshot of the list and the attempt window) decides as single checks do.
        var gate = app.Services.GetRequiredService<ComplianceDialGate>();
        var leads = await app.WithDbAsync(d => d.Leads.AsNoTracking().OrderBy(l => l.Id).ToListAsync());
        var requests = Enumerable.Range(0, 6000).Select(i => new DialGateRequest(leads[i % leads.Count], DialKind.Campaign, 1)).ToList();
        var batch = await gate.CheckManyAsync(requests, default);
        var singles = new List<DialGateDecision>();
        foreach (var lead in leads) singles.Add(await gate.CheckAsync(new DialGateRequest(lead, DialKind.Single), default));
        Assert.Equal(singles.Select(d => d.Code), batch.Take(leads.Count).Select(d => d.Code));
        Assert.Equal(["outside_calling_hours", "do_not_call", "national_dnc_registry", "attempt_cap", "no_consent", null], singles.Select(d => d.Code));
        Assert.Equal(batch[3], batch[3 + leads.Count]);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_registry_upload_counts_numbers_reports_bad_lines_and_a_newer_upload_reloads(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var client = await app.ClientForRoleAsync(UserRole.Admin);

        var response = await UploadAsync(client, "2125550100\n(212) 555-0101\n1-212-555-0102\nnot a number\n12345\n\n2125550100\n", multipart: true);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        Assert.Equal(2, body.GetProperty("bad_line_count").GetInt64());
        Assert.Equal([4L, 5L], body.GetProperty("bad_lines").EnumerateArray().Select(l => l.GetProperty("line").GetInt64()));

        var registry = app.Services.GetRequiredService<NationalDncRegistry>();
        Assert.True(registry.Contains("+12125550102"));
        Assert.False(registry.Contains("+12125550103"));
        var status = await client.GetFromJsonAsync<JsonElement>("/admin/do-not-call/registry/");
        Assert.Equal((3, 3, "registry.txt"), (status.GetProperty("number_count").GetInt32(), status.GetProperty("loaded_count").GetInt32(), status.GetProperty("file_name").GetString()));

        var empty = await ProblemAsync(await UploadAsync(client, "hello\nworld\n"), HttpStatusCode.BadRequest);
        Assert.Contains("no 10-digit numbers", empty.GetProperty("errors").GetProperty("file")[0].GetString());

        // Another node's upload: a new blob and version row; this node's loader picks it up on its next look.
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        await using (var content = new MemoryStream(NationalDncRegistry.ToBytes([3105550199L])))
            await blobs.UploadAsync("dnc-registry/other-node.bin", content, "application/octet-stream", new Dictionary<string, string>(), default);
        await app.WithDbAsync(async d =>
        {
            d.Set<DncRegistryUpload>().Add(new DncRegistryUpload { BlobName = "dnc-registry/other-node.bin", NumberCount = 1, UploadedAt = app.Time.GetUtcNow() });
            await d.SaveChangesAsync();
        });
        Assert.True(await app.Services.GetRequiredService<RegistryLoader>().RefreshAsync(default));
        Assert.True(registry.Contains("+13105550199"));
        Assert.False(registry.Contains("+12125550102"));
        Assert.False(await app.Services.GetRequiredService<RegistryLoader>().RefreshAsync(default));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_admin_list_adds_searches_refuses_bad_input_and_removes(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var client = await app.ClientForRoleAsync(UserRole.Manager);

        var added = await client.PostAsJsonAsync("/admin/do-not-call/", new { phone = "+1 415 555 0123", reason = "Asked by letter" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var entry = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("+14155550123", "admin"), (entry.GetProperty("phone").GetString(), entry.GetProperty("source").GetString()));
        await client.PostAsJsonAsync("/admin/do-not-call/", new { phone = "+12125550100" });

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/admin/do-not-call/", new { phone = "415-555-0123" })).StatusCode);
        var bad = await ProblemAsync(await client.PostAsJsonAsync("/admin/do-not-call/", new { phone = "call me" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("phone", out _));
        var badPage = await ProblemAsync(await client.GetAsync("/admin/do-not-call/?page_size=1000"), HttpStatusCode.BadRequest);
        Assert.True(badPage.GetProperty("errors").TryGetProperty("page_size", out _));

        var found = await client.GetFromJsonAsync<JsonElement>("/admin/do-not-call/?q=415");
        Assert.Equal(["+14155550123"], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("phone").GetString()));
        var byReason = await client.GetFromJsonAsync<JsonElement>("/admin/do-not-call/?q=letter");
        Assert.Equal(1, byReason.GetProperty("total").GetInt32());
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/admin/do-not-call/")).GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/admin/do-not-call/{entry.GetProperty("id").GetInt32()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/admin/do-not-call/{entry.GetProperty("id").GetInt32()}")).StatusCode);
        Assert.False(await app.WithDbAsync(d => d.Set<DoNotCallEntry>().AnyAsync(e => e.Phone == "+14155550123")));
    }

    internal static Task<HttpResponseMessage> UploadAsync(HttpClient client, string text, bool multipart = false)
    {
        if (!multipart) return client.PostAsync("/admin/do-not-call/registry/", new StringContent(text, Encoding.UTF8, "text/plain"));
        var form = new MultipartFormDataContent { { new StringContent(text, Encoding.UTF8, "text/plain"), "file", "registry.txt" } };
        return client.PostAsync("/admin/do-not-call/registry/", form);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
