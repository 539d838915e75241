using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

public sealed class LocalProvidersTests
{
    [Fact]
    public async Task Espeak_produces_8khz_mulaw_of_plausible_length()
    {
        var tts = new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance);
        var bytes = new List<byte>();
        await foreach (var chunk in tts.SynthesizeAsync("Thanks for calling. How can I help you today?", CancellationToken.None))
            bytes.AddRange(chunk.ToArray());
        var seconds = bytes.Count / 8000.0;
        Assert.InRange(seconds, 1.5, 6);
        Assert.Contains(bytes, b => b != 0xFF && b != 0x7F);
    }

    [Fact]
    public async Task Local_agent_and_espeak_run_a_call_end_to_end_with_no_keys()
    {
        var stt = new ScriptedSpeechToText(AudioFixtures.Transcripts["seller-intent"]);
        await using var app = new VoiceAppFactory { Stt = stt };
        await VoiceListings.SeedAsync(app);
        var (caller, callId) = await app.CallAsync(from: "+15125550777");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync(timeoutMs: 20000);
            Assert.True(caller.Media.Sum(m => m.Bytes) / 8 > 1500, "the espeak greeting is longer than 1.5 s");
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("seller-intent"));
        }
        await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        var turns = (await app.CallRowAsync(callId)).Turns.ToArray();
        var lead = await app.WithDbAsync(db => db.Leads.SingleAsync(l => l.Phone == "+15125550777"));
        Assert.Contains("Dallas", lead.PreferredAreas);
        Assert.Equal(LeadIntent.Sell, lead.Intent);
        Assert.Contains("valuation", turns[^1].Text);
    }

    [Theory]
    [InlineData("six hundred thousand", 600_000)]
    [InlineData("six hundred and fifty thousand dollars", 650_000)]
    [InlineData("half a million", 500_000)]
    [InlineData("1.2 million", 1_200_000)]
    [InlineData("$450,000", 450_000)]
    [InlineData("500k", 500_000)]
    [InlineData("three", 3)]
    public void Spoken_numbers_are_read_the_way_callers_say_them(string text, decimal expected)
    {
        var words = SpokenNumbers.Words(text);
        var i = 0;
        Assert.Equal(expected, SpokenNumbers.Read(words, ref i));
    }

    [Fact]
    public void Understanding_extracts_the_buyer_facts_from_one_sentence()
    {
        var u = Understanding.Parse("Hi, I'm looking for a three bedroom house in Austin, under five hundred thousand dollars.", ["Austin", "Dallas"], null);
        Assert.Equal(("buy", "Austin", 3, 500_000m, "House"), (u.Intent, u.City, u.Bedrooms, u.BudgetMax, u.PropertyType));
        var p = Understanding.Parse("Yes, I'm pre-approved, and I'd like to move within three months.", [], null);
        Assert.Equal((true, "within three months"), (p.PreApproved, p.Timeline));
        Assert.False(Understanding.Parse("I'm not pre-approved yet", [], null).PreApproved);
        Assert.Equal("Maria Lopez", Understanding.Parse("My name is Maria Lopez.", [], null).Name);
        Assert.True(Understanding.Parse("Can I talk to a real person, please?", [], null).WantsHuman);
        Assert.True(Understanding.Parse("Please don't call me again", [], null).DoNotCall);
    }

    [Fact]
    public void A_named_day_and_hour_resolve_to_the_next_such_day_in_the_agency_zone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var u = Understanding.Parse("Yes, Saturday at ten in the morning works for me.", [], null);
        var wednesday = new DateTimeOffset(2025, 6, 4, 15, 0, 0, TimeSpan.Zero);
        var when = Understanding.ResolveTime(u, wednesday, zone)!.Value;
        Assert.Equal(new DateTimeOffset(2025, 6, 7, 10, 0, 0, TimeSpan.FromHours(-5)), when);
        Assert.Equal(15, Understanding.ResolveTime(Understanding.Parse("tomorrow at three", [], null), wednesday, zone)!.Value.Hour);
    }
}
