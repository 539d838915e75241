using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Tests.Features.Voice.Pipeline;

public sealed class FrameProcessorTests
{
    /// <summary>Passes the first sentence, then works on the next until the reply is cancelled, so a queue builds up behind it.</summary>
    private sealed class StuckAfterOneStage : FrameProcessor
    {
        private int _sentences;
        public int Cancelled;

        protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
        {
            // Once a reply was cancelled, sentences pass straight through (the test's "after" sentence).
            if (frame is SpeakSentenceFrame && Volatile.Read(ref Cancelled) == 0 && Interlocked.Increment(ref _sentences) > 1)
            {
                try { await Task.Delay(Timeout.Infinite, replyToken); }
                catch (OperationCanceledException) { Interlocked.Increment(ref Cancelled); throw; }
            }
            await PushFrameAsync(frame, direction);
        }
    }

    [Fact]
    public async Task Interruption_jumps_the_queue_cancels_work_in_flight_and_flushes_all_but_uninterruptible_frames()
    {
        var slow = new StuckAfterOneStage();
        await using var harness = await new PipelineHarness(slow).StartAsync();
        for (var i = 0; i < 10; i++) await harness.PushAsync(new SpeakSentenceFrame($"sentence {i}"));
        await harness.PushAsync(new EndCallFrame("bye"));
        await harness.WaitForAsync<SpeakSentenceFrame>(1);

        await harness.PushAsync(InterruptionFrame.Instance);
        await harness.WaitForAsync<EndCallFrame>(1);

        var spoken = harness.Downstream.OfType<SpeakSentenceFrame>().Count();
        Assert.Equal(1, spoken);
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
        public bool EndCallWhileInterruptionBusy { get; private set; }

        protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
        {
            if (frame is EndCallFrame) EndCallWhileInterruptionBusy = !InterruptionHandled.Task.IsCompleted;
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
        // before it, and surviving the flush) must not be processed, let alone leave, before the handler is done.
        // The stage records that at the moment the end of call reaches it, so no wall-clock wait decides the outcome.
        var interrupting = harness.PushAsync(InterruptionFrame.Instance).AsTask();
        await stage.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Yield(); // the loop resumes from the cancelled work; a wrong implementation takes the end of call now

        stage.InterruptionHandled.SetResult();
        await interrupting.WaitAsync(TimeSpan.FromSeconds(5));
        await harness.WaitForAsync<EndCallFrame>(1);
        Assert.False(stage.EndCallWhileInterruptionBusy);
        Assert.Equal([typeof(InterruptionFrame), typeof(EndCallFrame)], harness.Downstream.Select(f => f.GetType()));
    }
}
