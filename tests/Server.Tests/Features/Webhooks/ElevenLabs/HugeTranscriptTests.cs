using System.Diagnostics;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>A transcription with thousands of turns is stored quickly, in bounded rows, without stalling other writers.</summary>
public sealed class HugeTranscriptTests
{
    public static string Transcription(long timestamp, string callSid, int turns) => Payloads.Json(new
    {
        type = "post_call_transcription",
        event_timestamp = timestamp,
        data = new
        {
            conversation_id = $"conv_{callSid}",
            transcript = Enumerable.Range(0, turns).Select(i => new
            {
                role = i % 2 == 0 ? "agent" : "user", message = $"Turn number {i} of a very long call about a three bedroom home.", time_in_call_secs = i * 2,
            }),
            metadata = new { call_duration_secs = turns * 2, phone_call = new { call_sid = callSid } },
            analysis = new { transcript_summary = "A very long call." },
        },
    });

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Ten_thousand_turns_are_stored_quickly_in_bounded_rows_with_the_full_text_while_other_writes_go_on(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var logs = CapturedLogs.AttachTo(app);
        var client = app.CreateClient();
        await client.PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), "conv_warm", "CA-warm")); // JIT and pools warmed up

        var clock = Stopwatch.StartNew();
        var huge = client.PostSignedJsonAsync(app, Transcription(app.Now(), "CA-huge", 10_000));
        await Task.Delay(50);
        var writer = Stopwatch.StartNew();
        await app.CreateUserAsync(UserRole.Agent).WaitAsync(TimeSpan.FromSeconds(30));
        var otherWriterMs = writer.ElapsedMilliseconds;
        var answer = await huge.WaitAsync(TimeSpan.FromSeconds(30));
        var hugeMs = clock.ElapsedMilliseconds;

        Assert.Equal("processed", answer.GetProperty("status").GetString());
        // The test machine is shared and slow: the 1 s target is checked by the benchmark; here "seconds, not minutes".
        Assert.True(hugeMs < 5000, $"10,000 turns took {hugeMs} ms");
        Assert.True(otherWriterMs < 3000, $"another writer waited {otherWriterMs} ms");
        var call = await app.WithDbAsync(d => d.Calls.SingleAsync(c => c.CallSid == "CA-huge"));
        var turns = await app.WithDbAsync(d => d.CallTurns.Where(t => t.CallId == call.Id).OrderBy(t => t.Sequence).ToListAsync());
        Assert.Equal(1000, turns.Count);
        Assert.Equal(Enumerable.Range(0, 1000), turns.Select(t => t.Sequence));
        Assert.Equal(("Turn number 999 of a very long call about a three bedroom home.", Speaker.Caller, 1_998_000, 2_000_000),
            (turns[^1].Text, turns[^1].Speaker, turns[^1].StartMs, turns[^1].EndMs));
        Assert.Equal(10_000, call.TranscriptText!.Split('\n').Length);
        Assert.EndsWith("Caller: Turn number 9999 of a very long call about a three bedroom home.", call.TranscriptText);
        Assert.Equal(1, logs.Count("elevenlabs_transcript_turns_capped"));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Turns_past_one_insert_batch_land_whole_and_in_order(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var answer = await app.CreateClient().PostSignedJsonAsync(app, Transcription(app.Now(), "CA-batches", 250));

        Assert.Equal("processed", answer.GetProperty("status").GetString());
        var turns = await app.WithDbAsync(d => d.CallTurns.OrderBy(t => t.Sequence).Select(t => new { t.Sequence, t.Text, t.CallId }).ToListAsync());
        Assert.Equal(Enumerable.Range(0, 250), turns.Select(t => t.Sequence));
        Assert.All(turns, t => Assert.Equal($"Turn number {t.Sequence} of a very long call about a three bedroom home.", t.Text));
        Assert.Single(turns.Select(t => t.CallId).Distinct());
    }
}
