using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Twilio;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>
/// Caller audio goes to the recogniser frame by frame whenever its answer may be waited on and 100 ms a message
/// otherwise: never late where it matters, a fifth of the messages while the caller listens.
/// </summary>
public sealed class RecogniserAudioBatchTests
{
    private const int Quiet = RecogniserAudioBatch.QuietFramesPerMessage;
    private readonly RecogniserAudioBatch _batch = new();
    private readonly RecordingSttSession _session = new();
    private int _frames;

    [Fact]
    public async Task While_nobody_speaks_and_nothing_is_owed_audio_goes_five_frames_a_message_in_order()
    {
        await SendFramesAsync(50);

        Assert.Equal(Enumerable.Repeat(Quiet * MuLaw.FrameBytes, 50 / Quiet), _session.Messages.Select(m => m!.Length));
        AssertInOrder(50);
    }

    [Fact]
    public async Task Speech_goes_frame_by_frame_from_the_vads_onset_taking_the_held_audio_along_at_once()
    {
        await SendFramesAsync(3); // held: nobody speaks
        Assert.Empty(_session.Messages);

        _batch.CallerStarted();
        await SendFramesAsync(10);

        Assert.Equal([4 * MuLaw.FrameBytes, .. Enumerable.Repeat(MuLaw.FrameBytes, 9)], _session.Messages.Select(m => m!.Length));
        AssertInOrder(13);
    }

    [Fact]
    public async Task After_the_caller_stops_audio_stays_frame_by_frame_until_the_recogniser_answers_for_the_speech()
    {
        _batch.CallerStarted();
        await SendFramesAsync(20);
        _batch.CallerStopped();
        // The recogniser's endpointing needs this silence as it comes: a held frame would make its answer late.
        await SendFramesAsync(20);
        Assert.Equal(40, _session.Messages.Count);

        _batch.Heard(new SttTranscript("I'd like to buy a house", IsFinal: true, SpeechFinal: true, TimeSpan.Zero, TimeSpan.FromSeconds(1), 0.9));
        await SendFramesAsync(20);

        Assert.Equal(40 + 20 / Quiet, _session.Messages.Count);
        AssertInOrder(60);
    }

    [Fact]
    public async Task An_utterance_end_answers_the_speech_too()
    {
        _batch.CallerStarted();
        await SendFramesAsync(5);
        _batch.CallerStopped();
        _batch.Heard(new SttUtteranceEnd(TimeSpan.FromSeconds(1)));
        await SendFramesAsync(10);

        Assert.Equal(5 + 10 / Quiet, _session.Messages.Count);
    }

    [Fact]
    public async Task A_recogniser_that_never_answers_is_waited_on_frame_by_frame_for_a_stall_limit_of_audio_only()
    {
        _batch.CallerStarted();
        _batch.CallerStopped();
        var owedFrames = RecogniserAudioBatch.MaxOwedMs / MuLaw.FrameMs;
        await SendFramesAsync(owedFrames);
        Assert.Equal(owedFrames, _session.Messages.Count);

        await SendFramesAsync(10 * Quiet);

        Assert.Equal(owedFrames + 10, _session.Messages.Count);
        AssertInOrder(owedFrames + 10 * Quiet);
    }

    [Fact]
    public async Task Interim_words_heard_while_our_vad_hears_nobody_are_owed_their_final_and_go_frame_by_frame()
    {
        _batch.Heard(new SttTranscript("three bed", IsFinal: false, SpeechFinal: false, TimeSpan.Zero, TimeSpan.FromSeconds(1), 0.8));
        await SendFramesAsync(10);
        Assert.Equal(10, _session.Messages.Count);

        _batch.Heard(new SttTranscript("three bedrooms", IsFinal: true, SpeechFinal: false, TimeSpan.Zero, TimeSpan.FromSeconds(1), 0.9));
        await SendFramesAsync(10);

        Assert.Equal(10 + 10 / Quiet, _session.Messages.Count);
    }

    [Fact]
    public async Task Flush_sends_what_is_held_and_nothing_when_nothing_is()
    {
        await SendFramesAsync(2);
        await _batch.FlushAsync(_session, CancellationToken.None);
        await _batch.FlushAsync(_session, CancellationToken.None);

        Assert.Equal([2 * MuLaw.FrameBytes], _session.Messages.Select(m => m!.Length));
        Assert.Equal(0, _batch.HeldBytes);
    }

    [Fact]
    public async Task The_stage_sends_held_audio_when_the_callers_audio_stops_coming_and_before_it_closes_the_stream()
    {
        var stt = new ReadySpeechToText();
        var stage = new SttStage(stt, new SpeechToTextOptions("CA1"), new VoiceOptions(), TimeProvider.System, NullLogger.Instance);
        await using (var pipeline = await new PipelineHarness(stage).StartAsync())
        {
            await stt.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
            var frame = new byte[MuLaw.FrameBytes];
            for (var i = 0; i < 3; i++) await pipeline.PushAsync(new InputAudioFrame(frame, TimeSpan.FromMilliseconds(i * 20)));
            Assert.Empty(stt.Session.Messages);

            await pipeline.PushAsync(new CallerAudioGapFrame(TimeSpan.FromMilliseconds(400)));
            Assert.Equal([3 * MuLaw.FrameBytes], stt.Session.Messages.Select(m => m!.Length));

            for (var i = 0; i < 2; i++) await pipeline.PushAsync(new InputAudioFrame(frame, TimeSpan.FromMilliseconds(i * 20)));
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await stage.CompleteAsync(bounded.Token);
        }

        // The last 40 ms went before the stream was closed (null marks CompleteAsync).
        Assert.Equal<int?>([3 * MuLaw.FrameBytes, 2 * MuLaw.FrameBytes, null], stt.Session.Messages.Select(m => m?.Length));
    }

    private async Task SendFramesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var frame = new byte[MuLaw.FrameBytes];
            Array.Fill(frame, (byte)(_frames++ % 251));
            await _batch.SendAsync(_session, frame, CancellationToken.None);
        }
    }

    private void AssertInOrder(int frames)
    {
        var received = _session.Received;
        Assert.Equal(frames * MuLaw.FrameBytes, received.Length);
        for (var i = 0; i < frames; i++)
            Assert.True(received.AsSpan(i * MuLaw.FrameBytes, MuLaw.FrameBytes).IndexOfAnyExcept((byte)(i % 251)) < 0, $"frame {i} out of order or lost");
    }

    private sealed class ReadySpeechToText : ISpeechToText
    {
        public RecordingSttSession Session { get; } = new();
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            return Task.FromResult<ISpeechToTextSession>(Session);
        }
    }
}
