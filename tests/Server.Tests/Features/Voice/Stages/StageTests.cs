using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

public sealed class SentenceSplitterTests
{
    [Fact]
    public async Task Speech_starts_on_the_first_complete_sentence_and_decimals_or_abbreviations_do_not_split()
    {
        await using var harness = await new PipelineHarness(new SentenceSplitter()).StartAsync();
        foreach (var piece in new[] { "It has 2.5 baths", " on Main St. near", " the park. It costs", " $475,000! Want", " to see it" })
            await harness.PushAsync(new LlmTextFrame(piece));
        var first = await harness.WaitForAsync<SpeakSentenceFrame>(2);
        Assert.Equal(["It has 2.5 baths on Main St. near the park.", "It costs $475,000!"], first.Select(s => s.Text));
        await harness.PushAsync(AgentReplyEndedFrame.Instance);
        var all = await harness.WaitForAsync<SpeakSentenceFrame>(3);
        Assert.Equal("Want to see it", all[^1].Text);
    }
}

public sealed class VadStageTests
{
    private static async Task FeedAsync(PipelineHarness h, byte[] audio, TimeSpan start)
    {
        var frame = new InputAudioFrame(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
        for (var i = 0; i + 160 <= audio.Length; i += 160)
        {
            frame.Mulaw = audio.AsMemory(i, 160);
            frame.Offset = start + TimeSpan.FromMilliseconds(i / 8.0);
            await h.PushAsync(frame);
        }
    }

    [Fact]
    public async Task Speech_then_silence_gives_start_and_stop_at_the_configured_threshold()
    {
        await using var h = await new PipelineHarness(new VadStage(new VoiceOptions { SilenceMs = 300 })).StartAsync();
        await FeedAsync(h, [.. AudioFixtures.Tone(400), .. AudioFixtures.Silence(500)], TimeSpan.Zero);
        var started = Assert.Single(h.Downstream.OfType<UserStartedSpeakingFrame>());
        var stopped = Assert.Single(h.Downstream.OfType<UserStoppedSpeakingFrame>());
        Assert.Equal(TimeSpan.Zero, started.Offset);
        Assert.Equal(400, stopped.Offset.TotalMilliseconds);
    }
}
