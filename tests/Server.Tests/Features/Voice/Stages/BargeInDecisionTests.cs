using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>
/// The barge-in policy on its own, driven by a fake clock: the caller's audio time, advanced 20 ms a frame as the
/// media stream does, with the VAD's voice edges and the recogniser's words at chosen moments.
/// </summary>
public sealed class BargeInPolicyTests
{
    private static readonly BargeInPolicy.Timing Timing = new(
        Onset: TimeSpan.FromMilliseconds(60), InterruptAfter: TimeSpan.FromMilliseconds(600), ResumeAfter: TimeSpan.FromMilliseconds(150));

    /// <summary>A policy, a clock, and what was decided when (ms of caller audio).</summary>
    private sealed class Call
    {
        public BargeInPolicy Policy { get; } = new(Timing);
        public int NowMs { get; private set; }
        public List<(BargeInDecision Decision, int AtMs)> Decisions { get; } = [];

        public Call AgentTalking()
        {
            Policy.OnAgentSpeaking(true);
            return this;
        }

        private void Record(BargeInDecision d)
        {
            if (d != BargeInDecision.None) Decisions.Add((d, NowMs));
        }

        /// <summary>Caller sound for <paramref name="ms"/>: the VAD reports it once the onset confirmation has passed, if it lasts that long.</summary>
        public Call Sound(int ms)
        {
            for (var t = 20; t <= ms; t += 20)
            {
                NowMs += 20;
                Record(Policy.OnTick(TimeSpan.FromMilliseconds(NowMs)));
                if (t == 60) Record(Policy.OnVoiceStarted(TimeSpan.FromMilliseconds(NowMs)));
            }
            return this;
        }

        /// <summary>Silence after sound: the VAD reports the voice stopped after its 60 ms gap; the utterance ends after 400 ms.</summary>
        public Call Silence(int ms)
        {
            var soundEnd = NowMs;
            for (var t = 20; t <= ms; t += 20)
            {
                NowMs += 20;
                Record(Policy.OnTick(TimeSpan.FromMilliseconds(NowMs)));
                if (t == VadStage.VoiceGapMs) Record(Policy.OnVoiceStopped(TimeSpan.FromMilliseconds(soundEnd)));
                if (t == 400) Policy.OnUtteranceEnded();
            }
            return this;
        }

        public BargeInDecision Words(string text, bool isFinal)
        {
            var d = Policy.OnWords(text, isFinal);
            Record(d);
            return d;
        }

        public BargeInDecision[] Kinds => [.. Decisions.Select(d => d.Decision)];
        public int At(BargeInDecision kind) => Decisions.First(d => d.Decision == kind).AtMs;
    }

    [Fact]
    public void Sound_over_the_agent_pauses_the_reply_once_the_vad_confirms_it_60_ms_after_its_onset()
    {
        var call = new Call().AgentTalking().Sound(200);
        Assert.Equal([BargeInDecision.Pause], call.Kinds);
        Assert.Equal(60, call.At(BargeInDecision.Pause));
    }

    [Fact]
    public void A_click_the_vad_never_confirms_does_nothing()
    {
        var call = new Call().AgentTalking().Sound(40).Silence(100).Sound(40).Silence(600);
        Assert.Empty(call.Decisions);
    }

    [Fact]
    public void A_backchannel_resumes_150_ms_after_it_ends_before_its_words_are_known_and_its_final_is_dropped_not_answered()
    {
        var call = new Call().AgentTalking().Sound(440).Silence(200);
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.Resume], call.Kinds);
        Assert.Equal(440 + 160, call.At(BargeInDecision.Resume)); // 150 ms, on the next 20 ms frame: a gap well under 250 ms
        // Its words come later (the recogniser's endpointing): an interim that is a backchannel so far is held...
        Assert.Equal(BargeInDecision.HoldWords, call.Words("uh", isFinal: false));
        // ...and the final settles it: a backchannel, no turn, no interruption.
        Assert.Equal(BargeInDecision.DropWords, call.Words("Uh-huh.", isFinal: true));
        Assert.DoesNotContain(BargeInDecision.Interrupt, call.Kinds);
    }

    [Fact]
    public void No_wait_interrupts_as_soon_as_an_interim_shows_it_is_not_a_backchannel_and_never_resumes()
    {
        var call = new Call().AgentTalking().Sound(300);
        Assert.Equal(BargeInDecision.HoldWords, call.Words("okay", isFinal: false)); // could still be "okay" alone
        Assert.Equal(BargeInDecision.Interrupt, call.Words("no wait", isFinal: false));
        call.Silence(600);
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.HoldWords, BargeInDecision.Interrupt], call.Kinds);
        // Settled: the rest of its words are the caller's turn, passed on.
        Assert.Equal(BargeInDecision.None, call.Words("No, wait.", isFinal: true));
    }

    [Fact]
    public void A_short_no_whose_final_comes_after_the_resume_interrupts_the_resumed_reply()
    {
        var call = new Call().AgentTalking().Sound(300).Silence(300);
        Assert.Equal(BargeInDecision.Interrupt, call.Words("No.", isFinal: true));
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.Resume, BargeInDecision.Interrupt], call.Kinds);
    }

    [Fact]
    public void Words_that_come_after_the_reply_ended_still_interrupt_so_that_they_are_answered()
    {
        var call = new Call().AgentTalking().Sound(300).Silence(200);
        call.Policy.OnAgentSpeaking(false);
        Assert.Equal(BargeInDecision.Interrupt, call.Words("Wait, one more thing.", isFinal: true));
    }

    [Fact]
    public void A_cough_with_no_words_resumes_like_a_backchannel()
    {
        var call = new Call().AgentTalking().Sound(200).Silence(800);
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.Resume], call.Kinds);
        Assert.Equal(200 + 160, call.At(BargeInDecision.Resume));
    }

    [Fact]
    public void Long_speech_interrupts_600_ms_after_its_onset_and_nothing_more_is_decided_for_it()
    {
        var call = new Call().AgentTalking().Sound(900).Silence(300);
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.Interrupt], call.Kinds);
        Assert.Equal(600, call.At(BargeInDecision.Interrupt));
    }

    [Fact]
    public void Speech_that_resumes_after_a_gap_pauses_again_and_its_length_counts_from_the_utterances_onset()
    {
        // 200 ms, a 240 ms gap (the reply resumes 160 ms into it), then more: 600 ms since the onset at 640 ms of sound time.
        var call = new Call().AgentTalking().Sound(200).Silence(240).Sound(300);
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.Resume, BargeInDecision.Pause, BargeInDecision.Interrupt], call.Kinds);
        Assert.Equal([60, 360, 500, 600], call.Decisions.Select(d => d.AtMs));
    }

    [Fact]
    public void Backchannel_words_do_not_cover_sound_that_follows_them_whose_words_interrupt()
    {
        var call = new Call().AgentTalking().Sound(200).Silence(200);
        Assert.Equal(BargeInDecision.DropWords, call.Words("Okay.", isFinal: true));
        call.Sound(100);
        Assert.Equal(BargeInDecision.Interrupt, call.Words("wait", isFinal: true));
        Assert.Equal([BargeInDecision.Pause, BargeInDecision.Resume, BargeInDecision.DropWords, BargeInDecision.Pause, BargeInDecision.Interrupt], call.Kinds);
    }

    [Fact]
    public void Caller_speech_while_the_agent_is_silent_decides_nothing_and_its_words_pass()
    {
        var call = new Call().Sound(1000).Silence(600);
        Assert.Equal(BargeInDecision.None, call.Words("Can I talk to a person?", isFinal: true));
        Assert.Empty(call.Decisions);
    }

    [Fact]
    public void An_agent_that_starts_over_a_caller_mid_utterance_is_paused_on_the_next_frame()
    {
        var call = new Call().Sound(200);
        call.AgentTalking().Sound(100);
        Assert.Equal([BargeInDecision.Pause], call.Kinds);
        Assert.Equal(220, call.At(BargeInDecision.Pause));
    }

    [Fact]
    public void The_next_utterance_when_the_agent_is_quiet_is_a_turn_however_the_last_one_ended()
    {
        var call = new Call().AgentTalking().Sound(200).Silence(500); // a cough over the agent: no words ever
        call.Policy.OnAgentSpeaking(false);
        call.Sound(300).Silence(500);
        Assert.Equal(BargeInDecision.None, call.Words("Okay.", isFinal: true)); // an answer, not a backchannel to drop
    }
}

/// <summary>The VAD's voice edges, which the policy reads: confirmed after an unbroken 60 ms, stopped after a 60 ms gap.</summary>
public sealed class VadVoiceEdgeTests
{
    private static async Task<List<(Frame Frame, int AfterFrames)>> FeedAsync(byte[] audio)
    {
        await using var h = await new PipelineHarness(new VadStage(new VoiceOptions { SilenceMs = 400, BargeInOnsetMs = 60 })).StartAsync();
        var edges = new List<(Frame, int)>();
        var frame = new InputAudioFrame(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
        var seen = 0;
        for (var i = 0; i + 160 <= audio.Length; i += 160)
        {
            frame.Mulaw = audio.AsMemory(i, 160);
            frame.Offset = TimeSpan.FromMilliseconds(i / 8.0);
            await h.PushAsync(frame);
            var now = h.Downstream.Where(f => f is VoiceStartedFrame or VoiceStoppedFrame).ToArray();
            foreach (var e in now.Skip(seen)) edges.Add((e, i / 160 + 1));
            seen = now.Length;
        }
        return edges;
    }

    [Fact]
    public async Task Sound_starts_the_voice_on_its_third_loud_frame_and_stops_it_after_three_quiet_ones_saying_so()
    {
        var edges = await FeedAsync([.. AudioFixtures.Tone(200), .. AudioFixtures.Silence(40), .. AudioFixtures.Tone(100), .. AudioFixtures.Silence(100)]);
        // The 40 ms gap is inside the voice; the 60 ms one ends it.
        Assert.Equal([typeof(VoiceStartedFrame), typeof(VoiceStoppedFrame)], edges.Select(e => e.Frame.GetType()));
        Assert.Equal([3, 10 + 2 + 5 + 3], edges.Select(e => e.AfterFrames));
        Assert.Equal(TimeSpan.FromMilliseconds(60), ((VoiceStoppedFrame)edges[1].Frame).QuietFor);
    }

    [Fact]
    public async Task Clicks_shorter_than_the_onset_never_add_up_to_a_voice()
    {
        Assert.Empty(await FeedAsync([.. AudioFixtures.Tone(40), .. AudioFixtures.Silence(100), .. AudioFixtures.Tone(40), .. AudioFixtures.Silence(600)]));
    }

    [Fact]
    public async Task An_uh_huh_is_one_burst_of_voice_its_softer_middle_included()
    {
        var uhHuh = AudioFixtures.Load("backchannel"); // ≈ 450 ms, "uh" and "huh" joined by quieter sound
        var edges = await FeedAsync([.. uhHuh, .. AudioFixtures.Silence(300)]);
        Assert.Equal([typeof(VoiceStartedFrame), typeof(VoiceStoppedFrame)], edges.Select(e => e.Frame.GetType()));
        Assert.InRange(edges[1].AfterFrames, uhHuh.Length / 160 + 3, uhHuh.Length / 160 + 4);
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

/// <summary>The barge-in stage: it applies the policy's decisions and keeps a backchannel's words away from the turn aggregator.</summary>
public sealed class BargeInStageTests
{
    private sealed class NullObserver : ICallObserver
    {
        public List<UserTurnRecord> Turns { get; } = [];
        public void OnUserTranscript(string text, bool isFinal) { }
        public void OnUserTurn(UserTurnRecord turn) { lock (Turns) Turns.Add(turn); }
        public void OnAgentTurn(AgentTurnRecord turn) { }
        public void OnToolCall(ToolCallRecord call) { }
        public void OnProviderFailure(string source, string message) { }
    }

    private static readonly VoiceOptions Options = new() { SilenceMs = 400 };

    private static async Task<(BargeInStage Stage, PipelineHarness Harness, NullObserver Observer)> AgentTalkingAsync()
    {
        var observer = new NullObserver();
        var stage = new BargeInStage(new BargeInPolicy(BargeInPolicy.Timing.From(Options)));
        var h = await new PipelineHarness(stage, new UserTurnAggregator(Options, TimeProvider.System, observer)).StartAsync();
        await stage.QueueFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream);
        return (stage, h, observer);
    }

    private static async Task AudioAsync(PipelineHarness h, int ms)
    {
        var frame = new InputAudioFrame(new byte[160], TimeSpan.Zero);
        for (var t = 0; t < ms; t += 20) await h.PushAsync(frame);
    }

    private static TranscriptionFrame Final(string text) => new(text, isFinal: true, speechFinal: true, TimeSpan.Zero, TimeSpan.FromMilliseconds(400));

    [Fact]
    public async Task Speech_interrupts_at_600_ms_of_caller_audio_word_gaps_included_whatever_the_streams_timestamps()
    {
        var stage = new BargeInStage(new BargeInPolicy(BargeInPolicy.Timing.From(Options)));
        await using var h = await new PipelineHarness(new VadStage(Options), stage).StartAsync();
        await stage.QueueFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream);
        var audio = AudioFixtures.Load("ask-human");
        var frame = new InputAudioFrame(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
        var sent = 0;
        for (var i = 0; i + 160 <= audio.Length && !h.Downstream.OfType<InterruptionFrame>().Any(); i += 160)
        {
            frame.Mulaw = audio.AsMemory(i, 160);
            // A sender whose clock runs a little fast: its whole-millisecond timestamps say less time passed.
            frame.Offset = TimeSpan.FromMilliseconds(Math.Floor(i / 8.0 * 0.97));
            await h.PushAsync(frame);
            sent++;
        }
        // "Can I talk to…": paused at its onset, never resumed in its word gaps, interrupted at 600 ms.
        Assert.Equal([typeof(PauseReplyFrame), typeof(InterruptionFrame)],
            h.Downstream.Where(f => f is PauseReplyFrame or ResumeReplyFrame or InterruptionFrame).Select(f => f.GetType()));
        Assert.Equal(30, sent);
    }

    [Fact]
    public async Task A_backchannel_pauses_resumes_on_the_audio_clock_and_its_words_never_reach_the_turn_aggregator()
    {
        var (_, h, observer) = await AgentTalkingAsync();
        await using var _ = h;
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        await AudioAsync(h, 60);
        await h.PushAsync(VoiceStartedFrame.Instance);
        Assert.Single(h.Downstream.OfType<PauseReplyFrame>());
        await AudioAsync(h, 400 + 60);
        await h.PushAsync(new VoiceStoppedFrame(TimeSpan.FromMilliseconds(60)));
        await AudioAsync(h, 80);
        Assert.Empty(h.Downstream.OfType<ResumeReplyFrame>());
        await AudioAsync(h, 20); // 160 ms of the 20 ms frames after the sound ended
        Assert.Single(h.Downstream.OfType<ResumeReplyFrame>());
        await h.PushAsync(new TranscriptionFrame("uh", isFinal: false, speechFinal: false, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        await AudioAsync(h, 240);
        await h.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromMilliseconds(460)));
        await h.PushAsync(Final("Uh-huh."));
        Assert.Empty(h.Downstream.OfType<InterruptionFrame>());
        Assert.Empty(h.Downstream.OfType<UserTurnFrame>());
        Assert.Empty(observer.Turns);
        Assert.Empty(h.Downstream.OfType<InputAudioFrame>()); // the audio ends at the barge-in stage
    }

    [Fact]
    public async Task Words_that_are_not_a_backchannel_interrupt_at_once_and_all_of_them_become_the_callers_turn()
    {
        var (_, h, observer) = await AgentTalkingAsync();
        await using var _ = h;
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        await AudioAsync(h, 60);
        await h.PushAsync(VoiceStartedFrame.Instance);
        await h.PushAsync(new TranscriptionFrame("okay", isFinal: false, speechFinal: false, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        Assert.Empty(h.Downstream.OfType<InterruptionFrame>());
        await h.PushAsync(new TranscriptionFrame("okay wait", isFinal: false, speechFinal: false, TimeSpan.Zero, TimeSpan.FromMilliseconds(300)));
        Assert.Single(h.Downstream.OfType<InterruptionFrame>());

        await h.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromMilliseconds(350)));
        await h.PushAsync(Final("Okay, wait."));
        var turn = Assert.Single(await h.WaitForAsync<UserTurnFrame>(1));
        Assert.Equal("Okay, wait.", turn.Text);
        Assert.Single(h.Downstream.OfType<InterruptionFrame>());
        Assert.Equal("Okay, wait.", Assert.Single(observer.Turns).Text);
    }
}
