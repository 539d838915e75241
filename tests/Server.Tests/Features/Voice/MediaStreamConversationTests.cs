using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>End to end over a real WebSocket on loopback: the Twilio side is a fake caller, the server is the real one.</summary>
public sealed class MediaStreamConversationTests
{
    private static string Line(string fixture) => AudioFixtures.Transcripts[fixture];

    [Fact]
    public async Task Greeting_audio_arrives_within_1500ms_of_start_and_is_paced_in_real_time()
    {
        await using var app = new VoiceAppFactory { Tts = new ToneTextToSpeech(msPerWord: 100) };
        var (caller, _) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            var media = caller.Media.ToArray();
            var first = media[0].AtMs - caller.StartSentAtMs!.Value;
            Assert.True(first < 1500, $"first greeting audio after {first:F0} ms");
            // Two 20 ms frames a message (40 ms); a sentence's last message may carry one.
            Assert.All(media, m => Assert.Contains(m.Bytes, new[] { 160, 320 }));
            Assert.True(media.Count(m => m.Bytes == 320) > media.Length / 2, "most messages carry two frames");
            // ~10 words × 100 ms: sent at real time (60 ms lead, plus a message sent ahead), not dumped at once.
            var audioMs = media.Sum(m => m.Bytes) / 8.0;
            var span = media[^1].AtMs - media[0].AtMs;
            Assert.True(audioMs >= 800, $"greeting had {audioMs} ms of audio");
            Assert.True(span >= audioMs - 60 - 40 - 80, $"{audioMs} ms of audio arrived within {span:F0} ms");
            Assert.Contains(caller.Marks, m => m.Name.StartsWith('s'));
        }
    }

    [Fact]
    public async Task Greeting_does_not_wait_for_a_slow_speech_to_text_start_and_the_first_turn_is_still_heard()
    {
        // Speech-to-text does not start until the test lets it: the whole greeting must play before that.
        var sttStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stt = new ScriptedSpeechToText(Line("buyer-intent")) { StartGate = sttStarted };
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, stt, new ToneTextToSpeech(msPerWord: 10));
        var (caller, _) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            Assert.Equal(0, stt.SessionsStarted); // the greeting played in full while speech-to-text was still starting
            sttStarted.SetResult();
            var before = caller.Media.Count;
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            Assert.True(caller.Media.Count > before, "the caller's first turn got no reply");
            Assert.Equal(1, stt.SessionsStarted);
        }
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Scripted_buyer_call_fills_the_lead_books_a_real_showing_and_records_every_turn(Db db)
    {
        var stt = new ScriptedSpeechToText(Line("buyer-intent"), Line("pre-approved"), Line("caller-name"), Line("book-showing"), Line("goodbye"));
        await using var app = await VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));
        var listings = await VoiceListings.SeedAsync(app);
        var (caller, callId) = await app.CallAsync(from: "+15125550199");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            foreach (var fixture in new[] { "buyer-intent", "pre-approved", "caller-name", "book-showing" })
            {
                try { await caller.SayAndAwaitReplyAsync(AudioFixtures.Load(fixture)); }
                catch (TimeoutException)
                {
                    foreach (var t in (await app.CallRowAsync(callId)).Turns) Console.WriteLine($"{t.Speaker}: {t.Text} {t.ToolCallsJson}");
                    throw;
                }
            }
            await caller.SayAsync(AudioFixtures.Load("goodbye"), speed: 4);
            // The agent says goodbye and hangs up: the server closes the stream and finalises the row.
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId), 15000);
        }

        var (lead, showing) = await app.WithDbAsync(async d =>
        {
            var lead = await d.Leads.AsNoTracking().SingleAsync(l => l.Phone == "+15125550199");
            var showing = await d.Showings.AsNoTracking().SingleAsync(s => s.CallId == callId);
            return (lead, showing);
        });
        Assert.Equal(listings[VoiceListings.BartonSprings], showing.PropertyId);
        Assert.Equal(lead.Id, showing.LeadId);
        Assert.Equal((ShowingStatus.Scheduled, ShowingSource.VoiceAgent), (showing.Status, showing.Source));
        Assert.Equal(TimeSpan.FromHours(1), showing.EndsAt - showing.StartsAt);
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var local = TimeZoneInfo.ConvertTime(showing.StartsAt, chicago);
        Assert.Equal((DayOfWeek.Saturday, 10), (local.DayOfWeek, local.Hour));

        Assert.Equal("Maria Lopez", lead.Name);
        Assert.Equal(LeadIntent.Buy, lead.Intent);
        Assert.Equal(LeadSource.InboundCall, lead.Source);
        Assert.Equal(3, lead.Bedrooms);
        Assert.Equal(500_000m, lead.BudgetMax);
        Assert.True(lead.PreApproved);
        Assert.Contains("three months", lead.Timeline);
        Assert.Contains("Austin", lead.PreferredAreas);
        // Qualified during the call, then moved on by the booking.
        Assert.Equal(LeadStatus.Showing, lead.Status);
        Assert.NotNull(lead.QualifiedAt);

        var call = await app.CallRowAsync(callId);
        Assert.Equal(CallStatus.Completed, call.Status);
        Assert.Equal(CallOutcome.ShowingBooked, call.Outcome);
        Assert.Equal(lead.Id, call.LeadId);
        Assert.Null(call.StreamTokenHash);
        Assert.NotNull(call.StreamStartedAt);
        Assert.NotNull(call.EndedAt);
        Assert.NotNull(call.DurationSeconds);
        var turns = call.Turns.ToArray();
        Assert.Equal(Enumerable.Range(1, turns.Length), turns.Select(t => t.Sequence));
        Assert.Equal(5, turns.Count(t => t.Speaker == Speaker.Caller));
        Assert.Equal(Line("caller-name"), turns.Where(t => t.Speaker == Speaker.Caller).ElementAt(2).Text);
        var agentTurns = turns.Where(t => t.Speaker == Speaker.Agent).ToArray();
        Assert.True(agentTurns.Length >= 6, $"{agentTurns.Length} agent turns");
        Assert.Contains(agentTurns, t => t.ToolCallsJson?.Contains("book_showing") == true);
        Assert.Contains(agentTurns, t => t.Text.Contains("Barton Springs"));
        Assert.DoesNotContain(turns, t => t.Text.Contains(VoiceListings.SoldInAustin) || t.Text.Contains(VoiceListings.PendingInAustin));
        foreach (var t in agentTurns.Skip(1))
        {
            Assert.NotNull(t.FirstAudioMs);
            Assert.NotNull(t.TtsFirstByteMs);
            Assert.NotNull(t.LlmFirstTokenMs);
        }
        Assert.All(agentTurns, t => Assert.False(t.Interrupted));
        Assert.StartsWith("Agent: ", call.TranscriptText);
        Assert.Contains("Caller: " + Line("caller-name"), call.TranscriptText);
    }
}
