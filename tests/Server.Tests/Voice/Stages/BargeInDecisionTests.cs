using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Tests.Voice.Fakes;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Voice.Stages;

/// <summary>The VAD's "pause at onset, then decide": which frame pauses, resumes or interrupts the agent's reply.</summary>
public sealed class BargeInVadTests
{
    private static readonly VoiceOptions Options = new()
    {
        SilenceMs = 400, BackchannelMinMs = 600, BargeInOnsetMs = 60, BargeInResumeSilenceMs = 200, BargeInResumeMaxWaitMs = 600,
    };

    /// <summary>
    /// Feeds 20 ms frames one at a time; returns, per decision frame, the number of frames fed when it appeared.
    /// <paramref name="upstreamBeforeFrame"/> sends a frame up from the turn aggregator (its verdict on the words)
    /// just before the given frame (0-based) is fed.
    /// </summary>
    private static async Task<List<(Frame Frame, int AfterFrames)>> FeedAsync(PipelineHarness h, byte[] audio,
        (int Frame, Frame Upstream)? upstreamBeforeFrame = null, VadStage? vad = null)
    {
        var decisions = new List<(Frame, int)>();
        var frame = new InputAudioFrame(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
        var seen = 0;
        for (var i = 0; i + 160 <= audio.Length; i += 160)
        {
            if (upstreamBeforeFrame is { } up && up.Frame == i / 160)
                await vad!.QueueFrameAsync(up.Upstream, FrameDirection.Upstream);
            frame.Mulaw = audio.AsMemory(i, 160);
            frame.Offset = TimeSpan.FromMilliseconds(i / 8.0);
            await h.PushAsync(frame);
            var now = h.Downstream.Where(f => f is PauseReplyFrame or ResumeReplyFrame or InterruptionFrame).ToArray();
            foreach (var d in now.Skip(seen)) decisions.Add((d, i / 160 + 1));
            seen = now.Length;
        }
        return decisions;
    }

    private static async Task<(VadStage Vad, PipelineHarness Harness)> AgentTalkingAsync()
    {
        var vad = new VadStage(Options);
        var h = await new PipelineHarness(vad).StartAsync();
        await vad.QueueFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream);
        return (vad, h);
    }

    [Fact]
    public async Task Sound_over_the_agent_pauses_the_reply_once_it_has_lasted_the_onset_confirmation()
    {
        var (_, h) = await AgentTalkingAsync();
        await using var _ = h;
        var decisions = await FeedAsync(h, AudioFixtures.Tone(200));
        var pause = Assert.Single(decisions);
        Assert.IsType<PauseReplyFrame>(pause.Frame);
        Assert.Equal(3, pause.AfterFrames); // 60 ms = the third loud frame
    }

    [Fact]
    public async Task A_click_shorter_than_the_onset_confirmation_does_nothing()
    {
        var (_, h) = await AgentTalkingAsync();
        await using var _ = h;
        // Two 40 ms clicks 100 ms apart: neither is an unbroken 60 ms, and they do not add up.
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(40), .. AudioFixtures.Silence(100), .. AudioFixtures.Tone(40), .. AudioFixtures.Silence(600)]);
        Assert.Empty(decisions);
    }

    [Fact]
    public async Task A_backchannel_pauses_then_resumes_without_interrupting_before_the_turn_would_end()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        var uhHuh = AudioFixtures.Load("backchannel"); // "uh-huh", ≈ 450 ms
        // Its final transcript ("uh-huh": a backchannel) comes 100 ms after the audio.
        var decisions = await FeedAsync(h, [.. uhHuh, .. AudioFixtures.Silence(600)],
            (uhHuh.Length / 160 + 5, BackchannelHeardFrame.Instance), vad);
        Assert.Equal([typeof(PauseReplyFrame), typeof(ResumeReplyFrame)], decisions.Select(d => d.Frame.GetType()));
        Assert.Equal(3, decisions[0].AfterFrames);
        var order = h.Downstream.Where(f => f is ResumeReplyFrame or UserStoppedSpeakingFrame).ToArray();
        Assert.Equal([typeof(ResumeReplyFrame), typeof(UserStoppedSpeakingFrame)], order.Select(f => f.GetType()));
    }

    [Fact]
    public async Task Short_speech_known_to_be_a_backchannel_resumes_on_the_frame_that_completes_the_resume_silence()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(400), .. AudioFixtures.Silence(600)],
            (20 + 5, BackchannelHeardFrame.Instance), vad);
        Assert.Equal([typeof(PauseReplyFrame), typeof(ResumeReplyFrame)], decisions.Select(d => d.Frame.GetType()));
        Assert.Equal(20 + 10, decisions[1].AfterFrames); // 400 ms of sound, then 200 ms of silence
    }

    [Fact]
    public async Task A_backchannel_final_that_comes_after_the_resume_silence_resumes_on_the_next_frame()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        // The words are known 300 ms after the sound: past the 200 ms resume silence, within the 600 ms wait.
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(300), .. AudioFixtures.Silence(800)],
            (15 + 15, BackchannelHeardFrame.Instance), vad);
        Assert.Equal([typeof(PauseReplyFrame), typeof(ResumeReplyFrame)], decisions.Select(d => d.Frame.GetType()));
        Assert.Equal(15 + 16, decisions[1].AfterFrames);
    }

    [Fact]
    public async Task Sound_without_words_holds_the_reply_past_the_end_of_the_utterance_then_resumes_after_the_bounded_wait()
    {
        var (_, h) = await AgentTalkingAsync();
        await using var _ = h;
        // A cough or line noise: the speech-to-text never returns words for it.
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(400), .. AudioFixtures.Silence(800)]);
        Assert.Equal([typeof(PauseReplyFrame), typeof(ResumeReplyFrame)], decisions.Select(d => d.Frame.GetType()));
        Assert.Equal(20 + 30, decisions[1].AfterFrames); // 600 ms after the sound, not 200
        // The utterance ended (400 ms of silence) while the reply was still held for its words.
        var order = h.Downstream.Where(f => f is ResumeReplyFrame or UserStoppedSpeakingFrame).ToArray();
        Assert.Equal([typeof(UserStoppedSpeakingFrame), typeof(ResumeReplyFrame)], order.Select(f => f.GetType()));
    }

    [Fact]
    public async Task Words_that_interrupt_while_the_resume_waits_for_them_leave_nothing_to_resume()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        // A short "No." whose final comes 300 ms after it: the turn aggregator interrupts (and tells the VAD).
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(300), .. AudioFixtures.Silence(800)],
            (15 + 15, InterruptionFrame.Instance), vad);
        Assert.Equal([typeof(PauseReplyFrame)], decisions.Select(d => d.Frame.GetType()));
    }

    [Fact]
    public async Task Backchannel_words_do_not_cover_sound_that_follows_them()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        // "uh-huh" (known to be a backchannel 100 ms later), then 200 ms more sound before the resume: still one
        // utterance under 600 ms, whose new words are not known yet — the resume waits for them again.
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(200), .. AudioFixtures.Silence(100), .. AudioFixtures.Tone(200), .. AudioFixtures.Silence(800)],
            (10 + 4, BackchannelHeardFrame.Instance), vad);
        Assert.Equal([typeof(PauseReplyFrame), typeof(ResumeReplyFrame)], decisions.Select(d => d.Frame.GetType()));
        Assert.Equal(25 + 30, decisions[1].AfterFrames);
    }

    [Fact]
    public async Task Long_speech_pauses_at_onset_then_interrupts_at_the_backchannel_minimum_and_never_resumes()
    {
        var (_, h) = await AgentTalkingAsync();
        await using var _ = h;
        var decisions = await FeedAsync(h, [.. AudioFixtures.Load("ask-human"), .. AudioFixtures.Silence(600)]);
        Assert.Equal([typeof(PauseReplyFrame), typeof(InterruptionFrame)], decisions.Select(d => d.Frame.GetType()));
        Assert.Equal(3, decisions[0].AfterFrames);
        Assert.Equal(30, decisions[1].AfterFrames); // 600 ms since onset, word gaps included
    }

    [Fact]
    public async Task Speech_resumed_after_a_pause_pauses_again_and_the_utterance_length_still_counts_from_its_onset()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        // 200 ms (a backchannel, known 100 ms later), a 240 ms gap (resumes after 200 ms of it), then 300 ms more:
        // 600 ms since onset at its 8th frame.
        var decisions = await FeedAsync(h, [.. AudioFixtures.Tone(200), .. AudioFixtures.Silence(240), .. AudioFixtures.Tone(300)],
            (10 + 5, BackchannelHeardFrame.Instance), vad);
        Assert.Equal([typeof(PauseReplyFrame), typeof(ResumeReplyFrame), typeof(PauseReplyFrame), typeof(InterruptionFrame)],
            decisions.Select(d => d.Frame.GetType()));
        Assert.Equal([3, 10 + 10, 10 + 12 + 3, 30], decisions.Select(d => d.AfterFrames));
    }

    [Fact]
    public async Task Once_the_words_have_interrupted_the_vad_decides_nothing_more_for_that_utterance()
    {
        var (vad, h) = await AgentTalkingAsync();
        await using var _ = h;
        await FeedAsync(h, AudioFixtures.Tone(100));
        await vad.QueueFrameAsync(InterruptionFrame.Instance, FrameDirection.Upstream);
        await FeedAsync(h, [.. AudioFixtures.Tone(800), .. AudioFixtures.Silence(600)]);
        Assert.Single(h.Downstream.OfType<PauseReplyFrame>());
        Assert.Empty(h.Downstream.OfType<ResumeReplyFrame>());
        Assert.Empty(h.Downstream.OfType<InterruptionFrame>());
    }

    [Fact]
    public async Task Caller_speech_while_the_agent_is_silent_neither_pauses_nor_interrupts()
    {
        await using var h = await new PipelineHarness(new VadStage(Options)).StartAsync();
        var decisions = await FeedAsync(h, [.. AudioFixtures.Load("ask-human"), .. AudioFixtures.Silence(600)]);
        Assert.Empty(decisions);
    }
}

public sealed class BackchannelTests
{
    [Theory]
    [InlineData("uh-huh")]
    [InlineData("Mm-hmm.")]
    [InlineData("mhm")]
    [InlineData("Okay, okay.")]
    [InlineData("Yeah right")]
    [InlineData("I see.")]
    [InlineData("Oh, got it!")]
    [InlineData("That’s right.")]
    public void Listener_cues_are_backchannels(string words) => Assert.True(Backchannel.IsBackchannel(words));

    [Theory]
    [InlineData("no")]
    [InlineData("Wait.")]
    [InlineData("stop")]
    [InlineData("okay wait")]
    [InlineData("yeah but I want a condo")]
    [InlineData("I")]
    [InlineData("")]
    [InlineData("...")]
    public void Anything_else_is_not(string words) => Assert.False(Backchannel.IsBackchannel(words));
}

/// <summary>Words over the agent decide the barge-in early; the caller's turn follows from them.</summary>
public sealed class BargeInWordsTests
{
    private sealed class NullObserver : ICallObserver
    {
        public List<UserTurnRecord> Turns { get; } = [];
        public void OnUserTranscript(string text, bool isFinal) { }
        public void OnUserTurn(UserTurnRecord turn) { lock (Turns) Turns.Add(turn); }
        public void OnAgentTurn(AgentTurnRecord turn) { }
        public void OnToolCall(ToolCallRecord call) { }
        public void OnProviderFailure(string source, string message) { }
        public ValueTask TransferAsync(string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public ValueTask HangUpAsync(string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static async Task<(UserTurnAggregator Aggregator, PipelineHarness Harness, NullObserver Observer)> AgentTalkingAsync()
    {
        var observer = new NullObserver();
        var aggregator = new UserTurnAggregator(new VoiceOptions { SilenceMs = 400 }, TimeProvider.System, observer);
        var h = await new PipelineHarness(aggregator).StartAsync();
        await aggregator.QueueFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream);
        return (aggregator, h, observer);
    }

    private static TranscriptionFrame Final(string text) => new(text, isFinal: true, speechFinal: true, TimeSpan.Zero, TimeSpan.FromMilliseconds(400));

    [Fact]
    public async Task A_backchannel_transcript_neither_interrupts_nor_becomes_a_turn()
    {
        var (_, h, observer) = await AgentTalkingAsync();
        await using var _ = h;
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        await h.PushAsync(new TranscriptionFrame("uh", isFinal: false, speechFinal: false, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        // An interim could still grow into something else ("uh, wait"): the VAD must keep the reply held.
        Assert.Empty(h.Upstream.OfType<BackchannelHeardFrame>());
        await h.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromMilliseconds(450)));
        await h.PushAsync(Final("Uh-huh."));
        // The final settles it: the VAD may resume the reply.
        Assert.Single(h.Upstream.OfType<BackchannelHeardFrame>());
        Assert.Empty(h.Downstream.OfType<InterruptionFrame>());
        Assert.Empty(h.Upstream.OfType<InterruptionFrame>());
        Assert.Empty(h.Downstream.OfType<UserTurnFrame>());
        Assert.Empty(observer.Turns);
    }

    [Fact]
    public async Task Words_that_are_not_a_backchannel_interrupt_at_once_and_become_the_callers_turn()
    {
        var (_, h, observer) = await AgentTalkingAsync();
        await using var _ = h;
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        await h.PushAsync(new TranscriptionFrame("okay", isFinal: false, speechFinal: false, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        Assert.Empty(h.Downstream.OfType<InterruptionFrame>());
        await h.PushAsync(new TranscriptionFrame("okay wait", isFinal: false, speechFinal: false, TimeSpan.Zero, TimeSpan.FromMilliseconds(300)));
        // Downstream it cancels the reply; upstream it tells the VAD the utterance is settled.
        Assert.Single(h.Downstream.OfType<InterruptionFrame>());
        Assert.Single(h.Upstream.OfType<InterruptionFrame>());

        await h.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromMilliseconds(350)));
        await h.PushAsync(Final("Okay, wait."));
        var turn = Assert.Single(await h.WaitForAsync<UserTurnFrame>(1));
        Assert.Equal("Okay, wait.", turn.Text);
        Assert.Single(h.Downstream.OfType<InterruptionFrame>());
        Assert.Empty(h.Upstream.OfType<BackchannelHeardFrame>());
        Assert.Equal("Okay, wait.", Assert.Single(observer.Turns).Text);
    }
}
