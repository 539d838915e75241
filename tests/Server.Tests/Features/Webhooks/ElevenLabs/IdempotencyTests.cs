using System.Net;
using System.Text;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

public class IdempotencyTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Fifty_identical_deliveries_at_once_are_processed_exactly_once(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var logs = CapturedLogs.AttachTo(app);
        var client = app.CreateClient();
        var audio = Payloads.Mp3(30_000);
        var body = Encoding.UTF8.GetBytes(Payloads.SeedAudio(app.Now(), "CA-dup", audio));
        var signature = ElevenLabsSignatureVerifier.Header(ElevenLabsWebhook.Secret, app.Now(), body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.SendAsync(ElevenLabsWebhook.Request(body, signature))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var statuses = await Task.WhenAll(responses.Select(async r => System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()));
        Assert.Equal(1, statuses.Count(s => s == "processed"));
        Assert.Equal(49, statuses.Count(s => s == "duplicate"));
        Assert.Equal(49, logs.Count("elevenlabs_webhook_duplicate_event"));
        Assert.Equal(1, logs.Count("elevenlabs_post_call_audio_processed"));
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal((WebhookProcessingState.Processed, 1), (log.ProcessingState, log.Attempts));
        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Equal(audio, await PostCallEventTests.ReadBlobAsync(app, call.RecordingBlobName!));
        var recordings = Path.Combine(DataDirectoryOf(app), "recordings");
        Assert.Single(Directory.GetFiles(recordings, "*.mp3", SearchOption.AllDirectories));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Fifty_identical_transcriptions_at_once_create_one_call_with_one_set_of_turns(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var logs = CapturedLogs.AttachTo(app);
        var client = app.CreateClient();
        var body = Encoding.UTF8.GetBytes(Payloads.RealTranscription(app.Now(), "conv_dup", "CA-dup-t"));
        var signature = ElevenLabsSignatureVerifier.Header(ElevenLabsWebhook.Secret, app.Now(), body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.SendAsync(ElevenLabsWebhook.Request(body, signature))));

        var statuses = await Task.WhenAll(responses.Select(async r => System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()));
        Assert.Equal(1, statuses.Count(s => s == "processed"));
        Assert.Equal(49, statuses.Count(s => s == "duplicate"));
        Assert.Equal(1, logs.Count("elevenlabs_post_call_transcription_processed"));
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal((WebhookProcessingState.Processed, 1), (log.ProcessingState, log.Attempts));
        var call = await app.WithDbAsync(d => d.Calls.Include(c => c.Turns).SingleAsync());
        Assert.Equal(("CA-dup-t", "conv_dup", CallStatus.Completed, "Jane Doe"), (call.CallSid, call.ConversationId, call.Status, call.CallerUsername));
        Assert.Equal(app.Time.GetUtcNow(), call.WebhookProcessedAt);
        Assert.Equal(app.Time.GetUtcNow().AddMinutes(-2).AddSeconds(95), call.EndedAt);
        var turns = call.Turns.OrderBy(t => t.Sequence).ToList();
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], turns.Select(t => t.Speaker));
        Assert.Equal([(0, 4000), (4000, 11000), (11000, 95000)], turns.Select(t => (t.StartMs, t.EndMs)));
        Assert.All(turns, t => Assert.Equal(app.Time.GetUtcNow(), t.CreatedAt));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Transcription_and_call_started_racing_to_create_one_call_both_land_on_it(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var client = app.CreateClient();
        var sids = Enumerable.Range(0, 10).Select(i => $"CA-race-{i}").ToList();

        await Task.WhenAll(sids.SelectMany(sid => new[]
        {
            client.PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), $"conv-{sid}", sid)),
            client.PostSignedJsonAsync(app, Payloads.Json(new { type = "call_started", event_timestamp = app.Now() - 60, data = new { call_id = sid, conversation_id = $"conv-{sid}" } })),
        }));

        var calls = await app.WithDbAsync(d => d.Calls.Include(c => c.Turns).OrderBy(c => c.CallSid).ToListAsync());
        Assert.Equal(sids.Order(), calls.Select(c => c.CallSid));
        Assert.All(calls, c => Assert.Equal((3, "Caller wants a 3-bed in Oakland.", CallStatus.Completed), (c.Turns.Count, c.TranscriptSummary, c.Status)));
        Assert.All(calls, c => Assert.NotNull(c.AnsweredAt));
        var states = await app.WithDbAsync(d => d.ElevenLabsEventLogs.Select(e => e.ProcessingState).ToListAsync());
        Assert.Equal(20, states.Count);
        Assert.All(states, s => Assert.Equal(WebhookProcessingState.Processed, s));
    }

    [Fact]
    public async Task Same_call_and_type_with_a_new_timestamp_is_a_new_event()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var client = app.CreateClient();

        var first = await client.PostSignedJsonAsync(app, Payloads.SeedTranscription(app.Now(), "CA-re", summary: "first"));
        var again = await client.PostSignedJsonAsync(app, Payloads.SeedTranscription(app.Now(), "CA-re", summary: "first"));
        var later = await client.PostSignedJsonAsync(app, Payloads.SeedTranscription(app.Now() + 5, "CA-re", summary: "second"));

        Assert.Equal(["processed", "duplicate", "processed"], new[] { first, again, later }.Select(b => b.GetProperty("status").GetString()));
        Assert.Equal(2, await app.WithDbAsync(d => d.ElevenLabsEventLogs.CountAsync()));
        Assert.Equal("second", await app.WithDbAsync(d => d.Calls.Select(c => c.TranscriptSummary).SingleAsync()));
    }

    /// <summary>AppFactory keeps DATA_DIR private; the app's own configuration says where it is.</summary>
    public static string DataDirectoryOf(AppFactory app) =>
        ((Microsoft.Extensions.Configuration.IConfiguration)app.Services.GetService(typeof(Microsoft.Extensions.Configuration.IConfiguration))!)["DATA_DIR"]!;
}
