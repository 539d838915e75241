using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Outbound.Campaigns;
using EstateVoice.Server.Features.Outbound.SpeedToLead;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Telephony;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Outbound;

/// <summary>
/// Speed to lead end to end with the scheduler running: a web-form lead is dialed through the fake Twilio server
/// without the fake clock moving (only the intake's wake-up can start that pass), its ringing callback stops the clock,
/// and the report shows the seconds; outside calling hours it waits for the window's opening.
/// </summary>
public sealed class SpeedToLeadTests : IAsyncLifetime
{
    private FakeTwilioRestServer _twilio = null!;

    public async Task InitializeAsync() => _twilio = await FakeTwilioRestServer.StartAsync();

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    private Task<AppFactory> AppAsync(Db db, string speedToLead = "on") => AppFactory.CreateAsync(db, new()
    {
        ["TWILIO_ACCOUNT_SID"] = FakeTwilioRestServer.AccountSid,
        ["TWILIO_AUTH_TOKEN"] = FakeTwilioRestServer.AuthToken,
        ["TWILIO_PHONE_NUMBER"] = "+15125550123",
        ["TWILIO_API_URL"] = _twilio.BaseUrl,
        ["PUBLIC_BASE_URL"] = TwilioTestClient.PublicBaseUrl,
        ["OUTBOUND_CALLS_PER_SECOND"] = "100",
        ["SPEED_TO_LEAD"] = speedToLead,
    });

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_web_lead_in_calling_hours_is_dialed_at_once_and_the_report_shows_intake_to_first_ring(Db db)
    {
        await using var app = await AppAsync(db);
        app.Time.Advance(TimeSpan.FromHours(3)); // Wednesday 12:00 in Austin, the lead's zone by its number
        var intakeAt = app.Time.GetUtcNow();
        var leadId = await IntakeAsync(app, "512 555 0177", consent: true);

        var dial = await WaitForAsync(() => _twilio.Requests.FirstOrDefault(r => r.Path.EndsWith("/Calls.json")));
        Assert.Equal("+15125550177", dial["To"]);
        Assert.Equal(intakeAt, app.Time.GetUtcNow()); // no poll fired: the intake woke the scheduler
        var call = await WaitAsync(() => app.WithDbAsync(d => d.Calls.AsNoTracking().SingleOrDefaultAsync(c => c.LeadId == leadId)));
        var campaign = await app.WithDbAsync(d => d.Campaigns.AsNoTracking().SingleAsync(c => c.BuiltIn == SpeedToLeadCampaign.Key));
        Assert.Equal((campaign.Id, CampaignState.Running), (call.CampaignId, campaign.State));

        app.Time.Advance(TimeSpan.FromSeconds(12));
        await PostStatusAsync(app, call.CallSid, "ringing");
        app.Time.Advance(TimeSpan.FromSeconds(5));
        await PostStatusAsync(app, call.CallSid, "in-progress");
        Assert.Equal(intakeAt + TimeSpan.FromSeconds(12),
            await app.WithDbAsync(d => d.Calls.Where(c => c.Id == call.Id).Select(c => c.FirstRingAt).SingleAsync()));
        await PostStatusAsync(app, call.CallSid, "completed");
        // Nothing left to dial, and the built-in campaign still runs (the next web lead joins it); it cannot be stopped.
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsync($"/campaigns/{campaign.Id}/stop", null)).StatusCode);
        Assert.Equal(CampaignState.Running, await app.WithDbAsync(d => d.Campaigns.Where(c => c.Id == campaign.Id).Select(c => c.State).SingleAsync()));

        var report = await manager.GetFromJsonAsync<JsonElement>("/reports/speed-to-lead");
        Assert.Equal((1, 1, 12.0, 1, 0), (report.GetProperty("leads").GetInt32(), report.GetProperty("called").GetInt32(),
            report.GetProperty("median_seconds").GetDouble(), report.GetProperty("within_target").GetInt32(), report.GetProperty("not_yet_called").GetInt32()));
        var week = Assert.Single(report.GetProperty("weeks").EnumerateArray());
        Assert.Equal(("2026-W48", 12.0, 12.0), (week.GetProperty("week").GetString(), week.GetProperty("median_seconds").GetDouble(),
            week.GetProperty("p90_seconds").GetDouble()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_web_lead_outside_calling_hours_waits_for_the_windows_opening_and_is_dialed_then(Db db)
    {
        await using var app = await AppAsync(db);
        app.Time.Advance(TimeSpan.FromHours(12)); // 03:00 UTC: Wednesday 21:00 in Austin
        var leadId = await IntakeAsync(app, "512 555 0178", consent: true);

        var row = await WaitAsync(() => app.WithDbAsync(d => d.CampaignLeads.AsNoTracking()
            .SingleOrDefaultAsync(r => r.LeadId == leadId && r.State == CampaignLeadState.Queued && r.ReasonCode != null)));
        Assert.Equal(DialRefusalsCode, row.ReasonCode);
        Assert.True(row.NextAttemptAt > app.Time.GetUtcNow());
        Assert.Empty(_twilio.Requests);
        var report = await (await app.ClientForRoleAsync(UserRole.Manager)).GetFromJsonAsync<JsonElement>("/reports/speed-to-lead");
        Assert.Equal((1, 0, 1), (report.GetProperty("leads").GetInt32(), report.GetProperty("called").GetInt32(), report.GetProperty("not_yet_called").GetInt32()));

        app.Time.SetUtcNow(row.NextAttemptAt!.Value + TimeSpan.FromSeconds(1)); // the window opens: the next poll dials
        var dial = await WaitForAsync(() => _twilio.Requests.FirstOrDefault(r => r.Path.EndsWith("/Calls.json")), tick: app);
        Assert.Equal("+15125550178", dial["To"]);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_built_in_campaign_refuses_stop_and_delete_with_a_409_problem_and_stays_running(Db db)
    {
        await using var app = await AppAsync(db);
        var id = await app.WithDbAsync(d => d.Campaigns.Where(c => c.BuiltIn == SpeedToLeadCampaign.Key).Select(c => c.Id).SingleAsync());
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        foreach (var response in new[] { await manager.PostAsync($"/campaigns/{id}/stop", null), await manager.DeleteAsync($"/campaigns/{id}") })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("built-in", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
        var campaign = await app.WithDbAsync(d => d.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal((CampaignState.Running, (DateTimeOffset?)null), (campaign.State, campaign.EndedAt));
        var shown = await manager.GetFromJsonAsync<JsonElement>($"/campaigns/{id}");
        Assert.Equal(SpeedToLeadCampaign.Key, shown.GetProperty("built_in").GetString());
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_edited_window_on_the_built_in_campaign_holds_the_next_dial_until_it_opens(Db db)
    {
        await using var app = await AppAsync(db);
        app.Time.Advance(TimeSpan.FromHours(3)); // Wednesday 12:00 in Austin: inside the legal hours
        var id = await app.WithDbAsync(d => d.Campaigns.Where(c => c.BuiltIn == SpeedToLeadCampaign.Key).Select(c => c.Id).SingleAsync());
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsync($"/campaigns/{id}/pause", null)).StatusCode);
        var edited = await manager.PutAsJsonAsync($"/campaigns/{id}", new
        {
            name = SpeedToLeadCampaign.Name, goal = "your enquiry on our website", window_start = "13:00", window_end = "17:00",
            days = new[] { "wednesday" }, time_zone = "America/Chicago", max_attempts = 2, spacing_minutes = 30,
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsync($"/campaigns/{id}/resume", null)).StatusCode);

        var leadId = await IntakeAsync(app, "512 555 0181", consent: true);
        var row = await WaitAsync(() => app.WithDbAsync(d => d.CampaignLeads.AsNoTracking()
            .SingleOrDefaultAsync(r => r.LeadId == leadId && r.State == CampaignLeadState.Queued && r.ReasonCode != null)));
        Assert.Equal(DialRefusalsCode, row.ReasonCode);
        var opening = new DateTimeOffset(app.Time.GetUtcNow().UtcDateTime.Date.AddHours(19), TimeSpan.Zero); // 13:00 in Austin (UTC-6)
        Assert.Equal(opening, row.NextAttemptAt);
        Assert.Empty(_twilio.Requests);

        app.Time.SetUtcNow(opening + TimeSpan.FromSeconds(1)); // the edited window opens: the next poll dials
        var dial = await WaitForAsync(() => _twilio.Requests.FirstOrDefault(r => r.Path.EndsWith("/Calls.json")), tick: app);
        Assert.Equal("+15125550181", dial["To"]);
    }

    [Fact]
    public async Task Without_consent_or_with_the_feature_off_a_web_lead_is_not_queued()
    {
        await using var off = await AppAsync(Db.Sqlite, speedToLead: "off");
        await IntakeAsync(off, "512 555 0179", consent: true);
        Assert.Equal(0, await off.WithDbAsync(d => d.CampaignLeads.CountAsync()));
        Assert.False(await off.WithDbAsync(d => d.Campaigns.AnyAsync()));

        await using var on = await AppAsync(Db.Sqlite);
        await IntakeAsync(on, "512 555 0180", consent: false);
        Assert.Equal(0, await on.WithDbAsync(d => d.CampaignLeads.CountAsync()));
        Assert.True(await on.WithDbAsync(d => d.Campaigns.AnyAsync(c => c.BuiltIn == SpeedToLeadCampaign.Key))); // made at startup
    }

    private const string DialRefusalsCode = "outside_calling_hours";

    private static async Task<int> IntakeAsync(AppFactory app, string phone, bool consent)
    {
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var created = await admin.PostAsJsonAsync("/admin/integration-keys/", new { site = "www.example-realty.com" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/leads/intake")
        {
            Content = JsonContent.Create(new { name = "Web Visitor", phone, consent_to_call = consent }),
        };
        request.Headers.Add("X-Integration-Key", key);
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    /// <summary>Polls in real time (the scheduler runs on its own) until <paramref name="probe"/> finds something; 10 s at most.</summary>
    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, AppFactory? tick = null) where T : class
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (await probe() is { } found) return found;
            Assert.True(DateTime.UtcNow < until, "timed out");
            tick?.Time.Advance(TimeSpan.FromMilliseconds(100)); // lets the scheduler's poll (on the fake clock) come round
            await Task.Delay(20);
        }
    }

    private static Task<T> WaitForAsync<T>(Func<T?> probe, AppFactory? tick = null) where T : class => WaitAsync(() => Task.FromResult(probe()), tick);

    private static async Task PostStatusAsync(AppFactory app, string callSid, string status)
    {
        var response = await TwilioTestClient.PostSignedAsync(app.CreateClient(), "/twilio/status", TwilioTestClient.StatusCallback(callSid, status),
            FakeTwilioRestServer.AuthToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
