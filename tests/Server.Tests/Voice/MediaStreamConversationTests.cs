using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Voice.Fakes;

namespace EstateVoice.Server.Tests.Voice;

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
            Assert.All(media, m => Assert.Equal(160, m.Bytes));
            // ~10 words × 100 ms: sent at real time (60 ms lead), not dumped at once.
            var audioMs = media.Length * 20.0;
            var span = media[^1].AtMs - media[0].AtMs;
            Assert.True(audioMs >= 800, $"greeting had {audioMs} ms of audio");
            Assert.True(span >= audioMs - 60 - 80, $"{audioMs} ms of audio arrived within {span:F0} ms");
            Assert.Contains(caller.Marks, m => m.Name.StartsWith('s'));
        }
    }

    [Fact]
    public async Task Scripted_buyer_call_fills_the_lead_books_a_real_showing_and_records_every_turn()
    {
        var stt = new ScriptedSpeechToText(Line("buyer-intent"), Line("pre-approved"), Line("caller-name"), Line("book-showing"), Line("goodbye"));
        await using var app = new VoiceAppFactory { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: 10) };
        var (caller, callId) = await app.CallAsync(from: "+15125550199");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            foreach (var fixture in new[] { "buyer-intent", "pre-approved", "caller-name", "book-showing" })
            {
                try { await caller.SayAndAwaitReplyAsync(AudioFixtures.Load(fixture)); }
                catch (TimeoutException)
                {
                    foreach (var t in app.Calls.Calls[callId].Turns) Console.WriteLine($"{t.Speaker}: {t.Text} {t.ToolCallsJson}");
                    throw;
                }
            }
            await caller.SayAsync(AudioFixtures.Load("goodbye"), speed: 4);
            // The agent says goodbye and hangs up: the server closes the stream.
            await caller.WaitUntilAsync(() => app.Calls.Calls[callId].EndedAt is not null, 15000);
        }

        var showing = Assert.Single(app.Data.Showings.Values, s => s.CallId == callId);
        Assert.Equal(1, showing.PropertyId);
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var local = TimeZoneInfo.ConvertTime(showing.StartsAt, chicago);
        Assert.Equal((DayOfWeek.Saturday, 10), (local.DayOfWeek, local.Hour));

        var lead = Assert.Single(app.Data.Leads, l => l.Phone == "+15125550199");
        Assert.Equal("Maria Lopez", lead.Name);
        Assert.Equal("buy", lead.Intent);
        Assert.Equal(3, lead.Bedrooms);
        Assert.Equal(500_000m, lead.BudgetMax);
        Assert.True(lead.PreApproved);
        Assert.Contains("three months", lead.Timeline);
        Assert.Contains("Austin", lead.Areas);

        var call = app.Calls.Calls[callId];
        Assert.Equal("completed", call.Status);
        Assert.Equal("showing_booked", call.Outcome);
        Assert.Equal(lead.Id, call.LeadId);
        var turns = call.Turns.ToArray();
        Assert.Equal(Enumerable.Range(1, turns.Length), turns.Select(t => t.Sequence));
        Assert.Equal(5, turns.Count(t => t.Speaker == TurnSpeaker.Caller));
        Assert.Equal(Line("caller-name"), turns.Where(t => t.Speaker == TurnSpeaker.Caller).ElementAt(2).Text);
        var agentTurns = turns.Where(t => t.Speaker == TurnSpeaker.Agent).ToArray();
        Assert.True(agentTurns.Length >= 6, $"{agentTurns.Length} agent turns");
        Assert.Contains(agentTurns, t => t.ToolCallsJson?.Contains("book_showing") == true);
        Assert.Contains(agentTurns, t => t.Text.Contains("Barton Springs"));
        Assert.All(agentTurns.Skip(1), t => Assert.NotNull(t.FirstAudioMs));
        Assert.All(agentTurns, t => Assert.False(t.Interrupted));
    }
}
