using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Twilio;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>Speech-to-text that is still starting neither loses the caller's first words nor holds up the frames behind them.</summary>
public sealed class SttStartupTests
{
    [Fact]
    public async Task Audio_from_the_first_frame_is_kept_while_speech_to_text_starts_and_fed_to_it_in_order_once_ready()
    {
        var stt = new GatedSpeechToText();
        var stage = new SttStage(stt, new SpeechToTextOptions("CA1"), new VoiceOptions(), TimeProvider.System, NullLogger.Instance);
        var after = new CountingStage();
        await using var pipeline = await new PipelineHarness(stage, after).StartAsync();

        // 1 s of audio while the provider is still connecting: every frame passes at once (the read loop is not held).
        var buffer = new byte[MuLaw.FrameBytes];
        for (var i = 0; i < 50; i++)
        {
            Array.Fill(buffer, (byte)i);
            var push = pipeline.PushAsync(new InputAudioFrame(buffer, TimeSpan.FromMilliseconds(i * 20)));
            Assert.True(push.IsCompleted, $"frame {i} waited for speech-to-text to start");
            await push;
        }
        await pipeline.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        Assert.Equal(1, after.Seen);

        stt.Ready.SetResult();
        // Audio goes on arriving; the first frame after the session is ready takes the kept audio along, ahead of it.
        var pushed = 50;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (stt.Session.Received.Length == 0 && DateTime.UtcNow < deadline)
        {
            Array.Fill(buffer, (byte)pushed);
            await pipeline.PushAsync(new InputAudioFrame(buffer, TimeSpan.FromMilliseconds(pushed * 20)));
            pushed++;
            await Task.Delay(10);
        }

        var received = stt.Session.Received;
        Assert.Equal(pushed * MuLaw.FrameBytes, received.Length);
        for (var i = 0; i < pushed; i++)
            Assert.True(received.Skip(i * MuLaw.FrameBytes).Take(MuLaw.FrameBytes).All(b => b == i), $"frame {i} out of order or lost");
    }

    [Fact]
    public async Task An_end_of_speech_while_speech_to_text_starts_is_told_to_it_at_its_place_in_the_kept_audio()
    {
        // Lost, the session's watch for a recogniser that answers nothing after speech never started: a caller who
        // spoke before a slow connect was up waited 10 s of audio, not 1.5 s, to hear "I'm having trouble hearing you".
        var stt = new GatedSpeechToText();
        var stage = new SttStage(stt, new SpeechToTextOptions("CA1"), new VoiceOptions(), TimeProvider.System, NullLogger.Instance);
        await using var pipeline = await new PipelineHarness(stage).StartAsync();
        var frame = new byte[MuLaw.FrameBytes];
        await pipeline.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        for (var i = 0; i < 30; i++) await pipeline.PushAsync(new InputAudioFrame(frame, TimeSpan.FromMilliseconds(i * 20)));
        await pipeline.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromMilliseconds(600)));
        for (var i = 30; i < 40; i++) await pipeline.PushAsync(new InputAudioFrame(frame, TimeSpan.FromMilliseconds(i * 20)));

        stt.Ready.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (stt.Session.Received.Length < 40 * MuLaw.FrameBytes && DateTime.UtcNow < deadline) await Task.Delay(10);

        Assert.Equal(40 * MuLaw.FrameBytes, stt.Session.Received.Length);
        Assert.Equal([30 * MuLaw.FrameBytes], stt.Session.StoppedSpeakingAt);
    }

    private sealed class CountingStage : EstateVoice.Server.Features.Voice.Pipeline.FrameProcessor
    {
        public int Seen;

        protected override ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
        {
            if (frame is UserStartedSpeakingFrame) Interlocked.Increment(ref Seen);
            return PushFrameAsync(frame, direction);
        }
    }

    private sealed class GatedSpeechToText : ISpeechToText
    {
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public RecordingSttSession Session { get; } = new();

        public async Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
        {
            await Ready.Task.WaitAsync(cancellationToken);
            return Session;
        }
    }
}
