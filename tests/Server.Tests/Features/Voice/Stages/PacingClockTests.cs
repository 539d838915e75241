using EstateVoice.Server.Features.Voice.Stages;
using Microsoft.Extensions.Time.Testing;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>
/// The node's one pacing clock on a fake clock: one timer for every call, every due call's frame sent on the same
/// tick, a frame never early and at most one tick late, and a call whose send is stuck skipped, not waited for.
/// </summary>
public sealed class PacingClockTests
{
    /// <summary>Counts the timers created on the fake clock.</summary>
    private sealed class CountingTime(FakeTimeProvider inner) : TimeProvider
    {
        public int Timers;
        public override long GetTimestamp() => inner.GetTimestamp();
        public override long TimestampFrequency => inner.TimestampFrequency;
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref Timers);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>A paced sender: sends <paramref name="frames"/> frames, recording when each left; <paramref name="send"/> may not complete at once.</summary>
    private sealed class Sender(Pacer pacer, TimeProvider time, Func<int, ValueTask>? send = null)
    {
        private readonly long _start = time.GetTimestamp();
        public List<double> SentAtMs { get; } = [];

        public async Task RunAsync(int frames, CancellationToken cancellationToken)
        {
            for (var i = 0; i < frames; i++)
            {
                if (!await pacer.WaitForSlotAsync(cancellationToken).ConfigureAwait(false)) return;
                lock (SentAtMs) SentAtMs.Add(time.GetElapsedTime(_start).TotalMilliseconds);
                if (send is not null) await send(i).ConfigureAwait(false);
                pacer.FramesSent();
            }
        }

        public double[] Snapshot()
        {
            lock (SentAtMs) return [.. SentAtMs];
        }
    }

    private readonly FakeTimeProvider _fake = new();

    /// <summary>
    /// Ticks the clock from a thread-pool thread, as the real timer does: the test's synchronization context would
    /// make the runtime queue the released senders instead of running them on the tick.
    /// </summary>
    private Task TickAsync(int ticks, int firstMs = 20, int stepMs = 20) => Task.Run(() =>
    {
        for (var i = 0; i < ticks; i++) _fake.Advance(TimeSpan.FromMilliseconds(i == 0 ? firstMs : stepMs));
    });

    [Fact]
    public async Task Fifty_calls_share_one_timer_and_each_tick_sends_every_due_calls_next_frame()
    {
        var time = new CountingTime(_fake);
        using var clock = new PacingClock(time);
        var pacers = Enumerable.Range(0, 50).Select(_ => new Pacer(clock, leadMs: 60)).ToArray();
        var senders = pacers.Select(p => new Sender(p, time)).ToArray();
        var runs = senders.Select(s => s.RunAsync(10, CancellationToken.None)).ToArray();

        // The lead (frames 0-3: due at −60, −40, −20 and 0 ms) leaves at once; then one frame per tick.
        Assert.All(senders, s => Assert.Equal([0, 0, 0, 0], s.Snapshot()));
        await TickAsync(6);
        await Task.WhenAll(runs);

        Assert.Equal(1, time.Timers);
        Assert.Equal(50, clock.Registered);
        double[] expected = [0, 0, 0, 0, 20, 40, 60, 80, 100, 120];
        Assert.All(senders, s => Assert.Equal(expected, s.Snapshot()));
        foreach (var pacer in pacers) pacer.Dispose();
        Assert.Equal(0, clock.Registered);
    }

    [Fact]
    public async Task A_frame_due_between_ticks_leaves_on_the_next_tick_never_before_and_every_interval_stays_20_ms()
    {
        using var clock = new PacingClock(_fake);
        // The call starts 7 ms after the clock's grid: its frames are due at 7 + n × 20 − 60 ms of clock time.
        using var anchor = new Pacer(clock, leadMs: 60);
        _fake.Advance(TimeSpan.FromMilliseconds(7));
        using var pacer = new Pacer(clock, leadMs: 60);
        var sender = new Sender(pacer, _fake);
        var run = sender.RunAsync(8, CancellationToken.None);

        await TickAsync(17, firstMs: 3, stepMs: 5); // the grid's 5 ms ticks, 10 to 90 ms
        await run;

        // Frames 0-3 (the lead) leave at once; frame 4, due at 27 ms of clock time (20 ms into the call), leaves on
        // the tick at 30 ms, 23 ms in; and so on, 20 ms apart.
        Assert.Equal([0, 0, 0, 0, 23, 43, 63, 83], sender.Snapshot());
    }

    [Fact]
    public async Task A_call_whose_send_has_not_completed_is_skipped_without_delaying_the_others_and_then_catches_up()
    {
        using var clock = new PacingClock(_fake);
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slowPacer = new Pacer(clock, leadMs: 60);
        using var fastPacer = new Pacer(clock, leadMs: 60);
        // The slow call's frame 4 (sent on the tick at 20 ms) does not complete until its socket drains.
        var slow = new Sender(slowPacer, _fake, i => i == 4 ? new ValueTask(stuck.Task) : ValueTask.CompletedTask);
        var fast = new Sender(fastPacer, _fake);
        var slowRun = slow.RunAsync(8, CancellationToken.None);
        var fastRun = fast.RunAsync(8, CancellationToken.None);

        await TickAsync(3);
        Assert.Equal([0, 0, 0, 0, 20, 40, 60], fast.Snapshot());
        Assert.Equal([0, 0, 0, 0, 20], slow.Snapshot());

        // Its send completes: frames 5 and 6 (due at 40 and 60 ms) leave at once, inside the lead; then it ticks on.
        stuck.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (slow.Snapshot().Length < 7 && DateTime.UtcNow < deadline) await Task.Delay(2);
        await TickAsync(1);
        await Task.WhenAll(fastRun, slowRun).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([0, 0, 0, 0, 20, 40, 60, 80], fast.Snapshot());
        Assert.Equal([0, 0, 0, 0, 20, 60, 60, 80], slow.Snapshot());
    }

    [Fact]
    public async Task A_hold_wakes_the_waiting_sender_at_once_and_nothing_is_sent()
    {
        using var clock = new PacingClock(_fake);
        using var pacer = new Pacer(clock, leadMs: 0);
        Assert.True(await pacer.WaitForSlotAsync(CancellationToken.None));
        pacer.FramesSent();
        var waiting = pacer.WaitForSlotAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        pacer.Hold();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(await pacer.WaitForSlotAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Played_out_waits_for_the_tick_after_the_last_frame_has_played()
    {
        using var clock = new PacingClock(_fake);
        using var pacer = new Pacer(clock, leadMs: 60);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await pacer.WaitForSlotAsync(CancellationToken.None));
            pacer.FramesSent();
        }
        var playedOut = pacer.WaitPlayedOutAsync(CancellationToken.None).AsTask();
        await TickAsync(2);
        Assert.False(playedOut.IsCompleted); // 60 ms of audio sent, 40 ms passed
        await TickAsync(1);
        Assert.True(await playedOut.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
