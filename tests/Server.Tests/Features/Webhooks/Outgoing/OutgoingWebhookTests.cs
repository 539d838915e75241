using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Webhooks.Outgoing;
using EstateVoice.Server.Infrastructure.Jobs;
using EstateVoice.Server.Infrastructure.Security;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Calls.Analysis;
using EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EstateVoice.Server.Tests.Features.Webhooks.Outgoing;

/// <summary>
/// The end-of-call report sent to a real receiver (Kestrel on loopback) through the outbox, with the app's job worker
/// removed so the test moves the clock and decides when each node polls.
/// </summary>
public sealed class OutgoingWebhookTests
{
    private const string Secret = "outgoing-webhook-test-secret";

    /// <summary>Answers the scripted codes in turn (then 200), keeping each request's headers and body.</summary>
    private sealed class Receiver(params int[] codes) : IAsyncDisposable
    {
        private int _next;
        public ConcurrentQueue<(string? Signature, string? EventId, byte[] Body)> Requests { get; } = new();
        public WebApplication? App { get; private set; }
        public string Url => App!.BaseUrl() + "/hooks/estate";

        public async Task<Receiver> StartAsync()
        {
            App = await FakeServerHost.StartAsync(app => app.MapPost("/hooks/estate", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                Requests.Enqueue((context.Request.Headers[WebhookDeliveryJob.SignatureHeader], context.Request.Headers[WebhookDeliveryJob.EventIdHeader], buffer.ToArray()));
                var i = Interlocked.Increment(ref _next) - 1;
                return Results.StatusCode(i < codes.Length ? codes[i] : 200);
            }));
            return this;
        }

        public async ValueTask DisposeAsync()
        {
            if (App is not null) await App.DisposeAsync();
        }
    }

    private static Task<AppFactory> StartAsync(Db db, params string[] urls) => StartAsync(db, [], urls);

    private static Task<AppFactory> StartAsync(Db db, Dictionary<string, string?> extra, params string[] urls)
    {
        var settings = new Dictionary<string, string?>(extra)
        {
            ["OUTGOING_WEBHOOK_URLS"] = string.Join(",", urls),
            ["OUTGOING_WEBHOOK_SECRET"] = Secret,
            ["PUBLIC_BASE_URL"] = "https://voice.example.com",
        };
        return AppFactory.CreateAsync(db, settings,
            services => services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(JobWorker))));
    }

    /// <summary>Polls as one node until nothing is due, advancing the clock to each retry's time.</summary>
    private static async Task<int> RunUntilSettledAsync(AppFactory app, int maxRounds = 12)
    {
        var runner = app.Services.GetRequiredService<JobRunner>();
        var claimed = 0;
        for (var round = 0; round < maxRounds; round++)
        {
            while (await runner.RunDueAsync("node-a", CancellationToken.None) is var n and > 0) claimed += n;
            var next = await app.WithDbAsync(db => db.Jobs.AsNoTracking().Where(j => j.State == JobState.Pending)
                .Select(j => j.NextAttemptAt).OrderBy(t => t).FirstOrDefaultAsync());
            if (next is null) break;
            var wait = next.Value - app.Time.GetUtcNow();
            if (wait > TimeSpan.Zero) app.Time.Advance(wait);
        }
        return claimed;
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_receiver_failing_three_times_gets_the_signed_report_once_after_four_attempts(Db db)
    {
        await using var receiver = await new Receiver(500, 500, 500).StartAsync();
        await using var app = await StartAsync(db, receiver.Url);
        var setup = await AnalysisWorld.CreateAsync(app);
        await app.WithDbAsync(async d =>
        {
            var call = await d.Calls.SingleAsync(c => c.Id == setup.Call.Id);
            call.RecordingBlobName = "recordings/test.wav";
            await d.SaveChangesAsync();
        });
        await AnalysisWorld.FinishAsync(app, setup);

        await RunUntilSettledAsync(app);

        var requests = receiver.Requests.ToArray();
        Assert.Equal(4, requests.Length);
        var delivery = await app.WithDbAsync(d => d.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(4, delivery.Attempts);
        Assert.Equal(200, delivery.LastResponseCode);
        Assert.Null(delivery.LastError);
        Assert.Equal(receiver.Url, delivery.Url);
        // One event id on every attempt; every attempt's signature verifies with the shared secret.
        Assert.All(requests, r => Assert.Equal(delivery.EventId, r.EventId));
        Assert.All(requests, r => Assert.Equal(SignatureCheck.Valid,
            WebhookSignature.Verify(Secret, r.Signature, r.Body, app.Time.GetUtcNow(), TimeSpan.FromMinutes(5))));
        Assert.Equal(SignatureCheck.Mismatch,
            WebhookSignature.Verify("some-other-secret-value", requests[^1].Signature, requests[^1].Body, app.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));

        var report = JsonDocument.Parse(requests[^1].Body).RootElement;
        Assert.Equal("call.report", report.GetProperty("type").GetString());
        Assert.Equal(setup.Call.Id, report.GetProperty("call").GetProperty("id").GetInt32());
        Assert.Equal($"https://voice.example.com/calls/{setup.Call.Id}/recording", report.GetProperty("call").GetProperty("recording_url").GetString());
        Assert.Equal(setup.Lead.Id, report.GetProperty("lead").GetProperty("id").GetInt32());
        var analysis = report.GetProperty("analysis");
        Assert.Equal("done", analysis.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(analysis.GetProperty("summary").GetString()));
        Assert.Equal(3, analysis.GetProperty("fields").GetProperty("bedrooms").GetProperty("value").GetInt32());
        Assert.True(analysis.TryGetProperty("sentiment", out _));
        Assert.True(analysis.TryGetProperty("success", out _));

        // Finished means finished: later polls send nothing more.
        app.Time.Advance(TimeSpan.FromHours(1));
        await RunUntilSettledAsync(app);
        Assert.Equal(4, receiver.Requests.Count);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_ElevenLabs_call_that_came_with_its_summary_is_analysed_from_it_and_reported_once(Db db)
    {
        await using var receiver = await new Receiver().StartAsync();
        await using var app = await StartAsync(db, ElevenLabsWebhook.Settings(), receiver.Url);
        const string summary = "Jane Doe wants a three-bedroom home in Oakland; two homes were offered.";
        var body = Payloads.RealTranscription(app.Now(), "conv_report_1", "CA-report-1", summary);

        await app.CreateClient().PostSignedJsonAsync(app, body);
        await app.CreateClient().PostSignedJsonAsync(app, body); // ElevenLabs redelivers: still one report
        await RunUntilSettledAsync(app);

        var request = Assert.Single(receiver.Requests);
        var report = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("call.report", report.GetProperty("type").GetString());
        var callId = await app.WithDbAsync(d => d.Calls.Where(c => c.ConversationId == "conv_report_1").Select(c => c.Id).SingleAsync());
        Assert.Equal(callId, report.GetProperty("call").GetProperty("id").GetInt32());
        var analysis = report.GetProperty("analysis");
        Assert.Equal("done", analysis.GetProperty("status").GetString());
        Assert.Equal(summary, analysis.GetProperty("summary").GetString());
        var row = await app.WithDbAsync(d => d.CallAnalyses.AsNoTracking().SingleAsync(a => a.CallId == callId));
        Assert.Equal((summary, EstateVoice.Server.Features.Calls.Analysis.CallAnalysisJob.ProviderSummaryModel), (row.Summary, row.Model));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_4xx_is_not_retried_and_an_admin_redelivery_sends_it_again(Db db)
    {
        await using var receiver = await new Receiver(400).StartAsync();
        await using var app = await StartAsync(db, receiver.Url);
        var setup = await AnalysisWorld.CreateAsync(app);
        await AnalysisWorld.FinishAsync(app, setup);

        await RunUntilSettledAsync(app);
        var delivery = await app.WithDbAsync(d => d.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(400, delivery.LastResponseCode);
        Assert.Single(receiver.Requests);

        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var failed = await admin.GetFromJsonAsync<JsonElement>("/admin/webhook-deliveries?status=failed");
        Assert.Equal(1, failed.GetProperty("total").GetInt32());
        Assert.Equal("failed", failed.GetProperty("items")[0].GetProperty("status").GetString());
        Assert.Equal(400, failed.GetProperty("items")[0].GetProperty("last_response_code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/webhook-deliveries?status=bogus")).StatusCode);
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync($"/admin/webhook-deliveries/{delivery.Id}/redeliver", null)).StatusCode);

        var redeliver = await admin.PostAsync($"/admin/webhook-deliveries/{delivery.Id}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        await RunUntilSettledAsync(app);
        delivery = await app.WithDbAsync(d => d.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/webhook-deliveries/999999/redeliver", null)).StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_url_resolving_to_a_private_address_is_refused_without_a_connection(Db db)
    {
        // https and a public-looking form, but the address is private: refused at connect time, for good.
        await using var app = await StartAsync(db, "https://10.0.0.1/hook", "https://[fd00::1]/hook", "https://169.254.169.254/latest");
        var setup = await AnalysisWorld.CreateAsync(app);
        await AnalysisWorld.FinishAsync(app, setup);

        await RunUntilSettledAsync(app);
        var deliveries = await app.WithDbAsync(d => d.WebhookDeliveries.AsNoTracking().ToListAsync());
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(WebhookDeliveryStatus.Failed, d.Status);
            Assert.Equal(1, d.Attempts);
            Assert.Null(d.LastResponseCode);
            Assert.Contains("local or private address", d.LastError);
        });
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    public async Task Start_up_refuses_urls_that_are_not_https(string url)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await StartAsync(Db.Sqlite, url);
            app.CreateClient();
        });
        Assert.Contains("OUTGOING_WEBHOOK_URLS", e.ToString());
    }
}
