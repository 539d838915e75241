using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Leads;

public class LeadImportTests
{
    /// <summary>The multipart form the web page sends: text fields first, then the file.</summary>
    public static MultipartFormDataContent Form(string csv, object? mapping = null, string? duplicates = null, int? agentId = null)
    {
        var form = new MultipartFormDataContent();
        if (mapping is not null) form.Add(new StringContent(JsonSerializer.Serialize(mapping)), "mapping");
        if (duplicates is not null) form.Add(new StringContent(duplicates), "duplicates");
        if (agentId is not null) form.Add(new StringContent(agentId.ToString()!), "assigned_agent_id");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "leads.csv");
        return form;
    }

    private const string Csv = """
        Full Name,Mobile,E-mail,Looking to,Max budget,Areas,Ignored
        Ana Ruiz,(512) 555-0101,ana@example.com,buying,"$450,000",Austin; Round Rock,x
        "Lee, Jordan",+1 512 555 0102,,rent,,,
        Bad Phone,12,,sell,,,
        No Name,512-555-0103,not-an-email,,lots,,
        Ana Again,512.555.0101,ana2@example.com,,,Cedar Park,
        Existing Person,512-555-0999,new@example.com,sell,,,

        """;

    private static readonly object Mapping = new Dictionary<string, string>
    {
        ["Full Name"] = "name", ["Mobile"] = "phone", ["E-mail"] = "email", ["Looking to"] = "intent", ["Max budget"] = "budget_max",
        ["Areas"] = "preferred_areas", ["Ignored"] = "",
    };

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Skipping_duplicates_imports_new_phones_once_and_reports_bad_rows_by_number(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var existing = await world.NewLeadAsync(null, name: "Existing Person");
        await app.WithDbAsync(d => d.Leads.Where(l => l.Id == existing.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.Phone, "+15125550999")));
        var manager = await app.ClientForAsync(world.Manager);

        var response = await manager.PostAsync("/leads/import", Form(Csv, Mapping, "skip", world.AgentA.Id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(6, result.GetProperty("rows").GetInt32());
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(2, result.GetProperty("skipped").GetInt32());
        Assert.Equal(2, result.GetProperty("failed").GetInt32());
        var errors = result.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(4, "phone"), (5, "email"), (5, "budget_max")], errors);

        var leads = await app.WithDbAsync(d => d.Leads.AsNoTracking().Where(l => l.AssignedAgentId == world.AgentA.Id).OrderBy(l => l.Phone).ToListAsync());
        Assert.Equal(["+15125550101", "+15125550102"], leads.Select(l => l.Phone));
        Assert.Equal("Ana Ruiz", leads[0].Name);
        Assert.Equal(450_000m, leads[0].BudgetMax);
        Assert.Equal(["Austin", "Round Rock"], leads[0].PreferredAreas);
        Assert.Equal(LeadIntent.Buy, leads[0].Intent);
        Assert.Equal("Lee, Jordan", leads[1].Name);
        Assert.Equal(existing.Email, (await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == existing.Id))).Email);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Merging_duplicates_writes_the_rows_cells_over_the_lead_with_that_phone(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var existing = await world.NewLeadAsync(world.AgentB, name: "Existing Person");
        await app.WithDbAsync(d => d.Leads.Where(l => l.Id == existing.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.Phone, "+15125550999")));
        var admin = await app.ClientForAsync(world.Admin);

        var response = await admin.PostAsync("/leads/import", Form(Csv, Mapping, "merge"));
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(2, result.GetProperty("merged").GetInt32());

        var merged = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == existing.Id));
        Assert.Equal(("new@example.com", LeadIntent.Sell, world.AgentB.Id), (merged.Email, merged.Intent, merged.AssignedAgentId));
        var ana = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Phone == "+15125550101"));
        Assert.Equal(("Ana Again", "ana2@example.com", 450_000m), (ana.Name, ana.Email, ana.BudgetMax));
        Assert.Equal(["Cedar Park"], ana.PreferredAreas);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_mapping_without_a_phone_column_or_to_an_unknown_field_is_a_field_error_and_nothing_is_written(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var manager = await app.ClientForAsync(world.Manager);
        var before = await app.WithDbAsync(d => d.Leads.CountAsync());

        foreach (var mapping in new object[] { new { Mobile = "telephone", name = "name" }, new Dictionary<string, string> { ["Full Name"] = "name" } })
        {
            var response = await manager.PostAsync("/leads/import", Form(Csv, mapping));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("mapping", out _));
        }
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await manager.PostAsync("/leads/import", new StringContent("name,phone"))).StatusCode);
        Assert.Equal(before, await app.WithDbAsync(d => d.Leads.CountAsync()));
    }

    [Fact]
    public async Task The_csv_reader_handles_quotes_line_breaks_and_guarded_formulas()
    {
        var csv = new CsvReader(new StringReader("a,\"b \"\"q\"\"\nc\",'+1512\r\n\r\nlast,,\n"));
        Assert.Equal(["a", "b \"q\"\nc", "+1512"], (await csv.ReadAsync(default))!);
        Assert.Equal(["last", "", ""], (await csv.ReadAsync(default))!);
        Assert.Null(await csv.ReadAsync(default));
    }
}
