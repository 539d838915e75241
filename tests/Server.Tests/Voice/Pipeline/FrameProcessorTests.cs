using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Tests.Voice.Pipeline;

public sealed class FrameProcessorTests
{
    /// <summary>Takes 50 ms per sentence, honouring the reply token, so a queue builds up behind it.</summary>
    private sealed class SlowStage : FrameProcessor
    {
        public int Cancelled;

        protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
        {
            if (frame is SpeakSentenceFrame)
            {
                try { await Task.Delay(50, replyToken); }
                catch (OperationCanceledException) { Interlocked.Increment(ref Cancelled); throw; }
            }
            await PushFrameAsync(frame, direction);
        }
    }

    [Fact]
    public async Task Interruption_jumps_the_queue_cancels_work_in_flight_and_flushes_all_but_uninterruptible_frames()
    {
        var slow = new SlowStage();
        await using var harness = await new PipelineHarness(slow).StartAsync();
        for (var i = 0; i < 10; i++) await harness.PushAsync(new SpeakSentenceFrame($"sentence {i}"));
        await harness.PushAsync(new EndCallFrame("bye"));
        await harness.WaitForAsync<SpeakSentenceFrame>(1);

        await harness.PushAsync(InterruptionFrame.Instance);
        await harness.WaitForAsync<EndCallFrame>(1);

        var spoken = harness.Downstream.OfType<SpeakSentenceFrame>().Count();
        Assert.InRange(spoken, 1, 2);
        Assert.Equal(1, slow.Cancelled);
        // The interruption came out before the surviving EndCall, although it was pushed after it.
        var order = harness.Downstream.Where(f => f is InterruptionFrame or EndCallFrame).ToArray();
        Assert.IsType<InterruptionFrame>(order[0]);

        await harness.PushAsync(new SpeakSentenceFrame("after"));
        var after = await harness.WaitForAsync<SpeakSentenceFrame>(spoken + 1);
        Assert.Equal("after", after[^1].Text);
    }

    /// <summary>Works on a sentence until the reply is cancelled; handles an interruption only once the test lets it.</summary>
    private sealed class GatedStage : FrameProcessor
    {
        public TaskCompletionSource Working { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource InterruptionHandled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
        {
            if (frame is SpeakSentenceFrame)
            {
                Working.TrySetResult();
                try { await Task.Delay(Timeout.Infinite, replyToken); }
                catch (OperationCanceledException) { Cancelled.TrySetResult(); throw; }
            }
            await PushFrameAsync(frame, direction);
        }

        protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
        {
            if (frame is InterruptionFrame) await InterruptionHandled.Task.WaitAsync(lifetime);
            await PushFrameAsync(frame, direction);
        }
    }

    [Fact]
    public async Task A_frame_that_survives_an_interruption_waits_until_the_interruption_has_left_the_stage()
    {
        var stage = new GatedStage();
        await using var harness = await new PipelineHarness(stage).StartAsync();
        await harness.PushAsync(new SpeakSentenceFrame("long sentence"));
        await harness.PushAsync(new EndCallFrame("bye"));
        await stage.Working.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // The interruption cancels the sentence at once, but its handler is still busy: the end of call (queued
        // before it, and surviving the flush) must not leave first. The loop is free to run once the work is
        // cancelled, so a short wait is enough for a wrong order to show.
        var interrupting = harness.PushAsync(InterruptionFrame.Instance).AsTask();
        await stage.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.Empty(harness.Downstream);

        stage.InterruptionHandled.SetResult();
        await interrupting.WaitAsync(TimeSpan.FromSeconds(5));
        await harness.WaitForAsync<EndCallFrame>(1);
        Assert.Equal([typeof(InterruptionFrame), typeof(EndCallFrame)], harness.Downstream.Select(f => f.GetType()));
    }
}
