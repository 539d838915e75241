using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

public class PostCallEventTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Real_transcription_fills_the_twilio_call_with_transcript_turns_summary_and_caller(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var started = app.Time.GetUtcNow().AddMinutes(-3);
        var callId = await app.WithDbAsync(async d =>
        {
            var call = new Call { CallSid = "CA100", Status = CallStatus.InProgress, StartedAt = started, CreatedAt = started, UpdatedAt = started };
            d.Calls.Add(call);
            await d.SaveChangesAsync();
            return call.Id;
        });

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), "conv_100", "CA100"));

        Assert.True(body.GetProperty("success").GetBoolean());
        var call = await app.WithDbAsync(d => d.Calls.Include(c => c.Turns).SingleAsync());
        Assert.Equal(callId, call.Id);
        Assert.Equal("conv_100", call.ConversationId);
        Assert.Equal("Agent: Thanks for calling ABC Realty, how can I help?\nCaller: Hi, my name is jane doe and I'm looking for a three bedroom home.\nAgent: I found two homes in Oakland.", call.TranscriptText);
        Assert.Equal("Caller wants a 3-bed in Oakland.", call.TranscriptSummary);
        Assert.Equal("Jane Doe", call.CallerUsername);
        Assert.Equal("received", call.ReceptionStatus);
        Assert.Equal(app.Time.GetUtcNow(), call.ReceptionTimestamp);
        Assert.Equal(app.Time.GetUtcNow(), call.WebhookProcessedAt);
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.Equal(95, call.DurationSeconds);
        Assert.Equal(started.AddSeconds(95), call.EndedAt);
        var turns = call.Turns.OrderBy(t => t.Sequence).ToList();
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], turns.Select(t => t.Speaker));
        Assert.Equal([0, 4000, 11000], turns.Select(t => t.StartMs));
        Assert.Equal([4000, 11000, 95000], turns.Select(t => t.EndMs));
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(("CA100", "post_call_transcription", WebhookProcessingState.Processed, 1), (log.CallSid, log.EventType, log.ProcessingState, log.Attempts));
    }

    [Fact]
    public async Task Seed_shape_transcription_creates_the_call_and_reads_the_plain_transcript()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());

        await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedTranscription(app.Now(), "CA200"));

        var call = await app.WithDbAsync(d => d.Calls.Include(c => c.Turns).SingleAsync());
        Assert.Equal("CA200", call.CallSid);
        Assert.Equal("Agent: Hello, ABC Realty.\nCaller: Hi, this is Sam Lee calling about the listing.", call.TranscriptText);
        Assert.Equal("Sam asked about a listing.", call.TranscriptSummary);
        Assert.Equal("Sam Lee", call.CallerUsername);
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.Equal(2, call.Turns.Count);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Existing_turns_are_kept_and_data_collection_names_the_caller(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var now = app.Time.GetUtcNow();
        await app.WithDbAsync(async d =>
        {
            d.Calls.Add(new Call
            {
                CallSid = "CA300", ParentCallSid = "CA-parent", StartedAt = now, CreatedAt = now, UpdatedAt = now,
                Turns = [new CallTurn { Sequence = 0, Speaker = Speaker.Agent, Text = "live turn", CreatedAt = now }],
            });
            await d.SaveChangesAsync();
        });
        var payload = Payloads.Json(new
        {
            type = "post_call_transcription", event_timestamp = app.Now(),
            data = new
            {
                conversation_id = "conv_300",
                transcript = new[] { new { role = "user", message = "hello", time_in_call_secs = 1 } },
                // The SID ElevenLabs knows is the parent leg: the call is found through parent_call_sid.
                conversation_initiation_client_data = new { dynamic_variables = new { system__call_sid = "CA-parent" } },
                analysis = new { data_collection_results = new { caller_name = new { data_collection_id = "caller_name", value = "Priya Raman" } } },
            },
        });

        await app.CreateClient().PostSignedJsonAsync(app, payload);

        var call = await app.WithDbAsync(d => d.Calls.Include(c => c.Turns).SingleAsync());
        Assert.Equal("Priya Raman", call.CallerUsername);
        Assert.Equal("conv_300", call.ConversationId);
        Assert.Equal("live turn", Assert.Single(call.Turns).Text);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Audio_first_then_transcription_lands_both_on_one_call(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var now = app.Time.GetUtcNow();
        await app.WithDbAsync(async d =>
        {
            d.Calls.Add(new Call { CallSid = "CA400", Status = CallStatus.InProgress, StartedAt = now.AddMinutes(-2), CreatedAt = now, UpdatedAt = now });
            await d.SaveChangesAsync();
        });
        var client = app.CreateClient();
        var audio = Payloads.Mp3(20_000);

        await client.PostSignedJsonAsync(app, Payloads.RealAudio(app.Now(), "conv_400", audio));
        Assert.Equal(2, await app.WithDbAsync(d => d.Calls.CountAsync())); // provisional row until the SID is known
        await client.PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), "conv_400", "CA400"));

        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Equal(("CA400", "conv_400"), (call.CallSid, call.ConversationId));
        Assert.Equal($"/calls/{call.Id}/recording", call.RecordingUrl);
        Assert.NotNull(call.TranscriptText);
        var stored = await ReadBlobAsync(app, call.RecordingBlobName!);
        Assert.Equal(audio, stored);
    }

    [Fact]
    public async Task Transcription_first_then_audio_finds_the_call_by_conversation_id()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var client = app.CreateClient();
        var audio = Payloads.Mp3(5000);

        await client.PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), "conv_500", "CA500"));
        var result = await client.PostSignedJsonAsync(app, Payloads.RealAudio(app.Now() + 1, "conv_500", audio));

        Assert.Equal("processed", result.GetProperty("status").GetString());
        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Equal("CA500", call.CallSid);
        var expectedDate = app.Time.GetUtcNow().ToString("yyyy-MM-dd");
        Assert.Equal($"elevenlabs/{expectedDate}/conv_500_{app.Now() + 1}.mp3", call.RecordingBlobName);
        Assert.Equal(95, call.RecordingDurationSeconds); // the audio event has no duration: the call's own is used
        var blob = await app.Services.GetRequiredService<IBlobStore>().GetInfoAsync(call.RecordingBlobName!, default);
        Assert.Equal(("elevenlabs", "post_call_audio", "conv_500"), (blob!.Metadata["source"], blob.Metadata["event_type"], blob.Metadata["call_sid"]));
        Assert.Equal("audio/mpeg", blob.ContentType);
        // Once the recording is in storage the logged event no longer carries megabytes of base64.
        var raw = await app.WithDbAsync(d => d.ElevenLabsEventLogs.Where(e => e.EventType == "post_call_audio").Select(e => e.RawPayload).SingleAsync());
        Assert.DoesNotContain(Convert.ToBase64String(audio)[..100], raw);
        Assert.Contains("[stored as blob elevenlabs/", raw);
    }

    [Fact]
    public async Task Seed_shape_audio_sets_recording_duration_and_finishes_the_call()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var audio = Payloads.Mp3(3000);

        await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA600", audio, durationSeconds: 123));

        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Equal(("CA600", 123, 123, CallStatus.Completed), (call.CallSid, call.RecordingDurationSeconds, call.DurationSeconds, call.Status));
        Assert.Equal(app.Time.GetUtcNow(), call.WebhookProcessedAt);
        Assert.NotNull(call.EndedAt);
        Assert.Equal(audio, await ReadBlobAsync(app, call.RecordingBlobName!));
    }

    [Fact]
    public async Task Invalid_duration_is_not_stored()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());

        await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA650", Payloads.Mp3(300), durationSeconds: -5));

        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Null(call.RecordingDurationSeconds);
        Assert.NotNull(call.RecordingBlobName);
    }

    [Fact]
    public async Task Invalid_base64_is_logged_failed_and_nothing_is_uploaded()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var logs = CapturedLogs.AttachTo(app);
        var payload = Payloads.Json(new { type = "post_call_audio", event_timestamp = app.Now(), data = new { conversation_id = "conv_700", full_audio = "%%%not base64%%%" } });

        var body = await app.CreateClient().PostSignedJsonAsync(app, payload);

        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(1, logs.Count("elevenlabs_webhook_invalid_audio"));
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync(c => c.RecordingBlobName != null)));
    }

    [Fact]
    public async Task Call_started_and_initiation_failure_update_the_call_status()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var client = app.CreateClient();

        await client.PostSignedJsonAsync(app, Payloads.Json(new { type = "call_started", event_timestamp = app.Now(), data = new { call_id = "CA800", conversation_id = "conv_800" } }));
        Assert.Equal(CallStatus.InProgress, await app.WithDbAsync(d => d.Calls.Select(c => c.Status).SingleAsync()));

        await client.PostSignedJsonAsync(app, Payloads.Json(new
        {
            type = "call_initiation_failure", event_timestamp = app.Now(),
            data = new { agent_id = "a", conversation_id = "conv_900", failure_reason = "busy", metadata = new { type = "twilio", body = new { CallSid = "CA900", CallStatus = "busy", SipResponseCode = "486" } } },
        }));
        var failed = await app.WithDbAsync(d => d.Calls.SingleAsync(c => c.CallSid == "CA900"));
        Assert.Equal((CallStatus.Failed, "busy (SIP 486)", CallOutcome.Failed), (failed.Status, failed.FailureReason, failed.Outcome));
    }

    [Fact]
    public async Task Unknown_types_and_unknown_fields_are_acknowledged_and_stored()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var logs = CapturedLogs.AttachTo(app);

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.Json(new { type = "conversation_rated", event_timestamp = app.Now(), data = new { conversation_id = "c1", stars = 5 }, version = 2 }));

        Assert.True(body.GetProperty("success").GetBoolean());
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(("conversation_rated", WebhookProcessingState.Ignored), (log.EventType, log.ProcessingState));
        Assert.Equal(1, logs.Count("elevenlabs_webhook_unknown_event"));
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Theory]
    [InlineData("this is not json", "body is not valid JSON")]
    [InlineData("""{"event_timestamp": 1, "data": {"call_id": "CA1"}}""", "missing 'type'")]
    [InlineData("""{"type": "post_call_transcription", "data": {"call_id": "CA1"}}""", "missing or invalid 'event_timestamp'")]
    [InlineData("""{"type": "post_call_transcription", "event_timestamp": 1764082800, "data": {"transcript": "x"}}""", "no call identifier")]
    [InlineData("""[1, 2]""", "body is not a JSON object")]
    public async Task Signed_but_malformed_payload_gets_200_with_the_error_and_is_kept(string payload, string error)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());

        var body = await app.CreateClient().PostSignedJsonAsync(app, payload);

        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.StartsWith(error, body.GetProperty("error").GetString());
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal((WebhookProcessingState.Failed, payload), (log.ProcessingState, log.RawPayload));
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task Events_older_than_the_window_are_stored_but_not_applied()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var logs = CapturedLogs.AttachTo(app);

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedTranscription(app.Now() - 301, "CA1000"));

        Assert.Equal("ignored", body.GetProperty("status").GetString());
        Assert.Equal(WebhookProcessingState.Ignored, await app.WithDbAsync(d => d.ElevenLabsEventLogs.Select(e => e.ProcessingState).SingleAsync()));
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
        Assert.Equal(1, logs.Count("elevenlabs_webhook_stale_event"));
    }

    public static async Task<byte[]> ReadBlobAsync(AppFactory app, string name)
    {
        await using var blob = await app.Services.GetRequiredService<IBlobStore>().OpenReadAsync(name, default);
        using var copy = new MemoryStream();
        await blob!.Content.CopyToAsync(copy);
        return copy.ToArray();
    }
}
