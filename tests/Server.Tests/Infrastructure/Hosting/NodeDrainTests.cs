using EstateVoice.Server.Infrastructure.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EstateVoice.Server.Tests.Infrastructure.Hosting;

/// <summary>The drain's clock and counting, on a fake clock: the deadline is exact and nothing here sleeps.</summary>
public sealed class NodeDrainTests : IDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly ApplicationLifetime lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private NodeDrain? drain;

    private async Task<NodeDrain> StartAsync(int timeoutSeconds)
    {
        drain = new NodeDrain(Options.Create(new DrainOptions { TimeoutSeconds = timeoutSeconds }), lifetime, time, NullLogger<NodeDrain>.Instance);
        await drain.StartAsync(CancellationToken.None);
        return drain;
    }

    [Fact]
    public async Task A_live_call_goes_on_until_the_deadline_then_is_ended_and_the_stop_waits_for_its_ending()
    {
        var drain = await StartAsync(timeoutSeconds: 600);
        var call = drain.TryAdmitCall();
        Assert.NotNull(call);

        lifetime.StopApplication(); // SIGTERM: the console lifetime stops the application, then the host stops
        Assert.True(drain.IsDraining);
        Assert.Null(drain.TryAdmitCall());
        var stopping = drain.StoppingAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(599));
        Assert.False(drain.CallsEnding.IsCancellationRequested);
        Assert.False(stopping.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(drain.CallsEnding.IsCancellationRequested);
        await Task.Delay(50);
        Assert.False(stopping.IsCompleted); // the call is still writing its final status

        call.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, drain.LiveCalls);
    }

    [Fact]
    public async Task Calls_that_finish_within_the_drain_are_never_cut_and_the_stop_follows_the_last_one()
    {
        var drain = await StartAsync(timeoutSeconds: 600);
        var first = drain.TryAdmitCall()!;
        var second = drain.TryAdmitCall()!;
        var stopping = drain.StoppingAsync(CancellationToken.None);
        Assert.True(drain.IsDraining);

        time.Advance(TimeSpan.FromSeconds(120));
        first.Dispose();
        first.Dispose(); // a session counts once, however its ending is reported
        Assert.Equal(1, drain.LiveCalls);
        await Task.Delay(50);
        Assert.False(stopping.IsCompleted);

        second.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(drain.CallsEnding.IsCancellationRequested);
    }

    [Fact]
    public async Task With_no_live_call_the_stop_does_not_wait()
    {
        var drain = await StartAsync(timeoutSeconds: 600);
        drain.TryAdmitCall()!.Dispose();

        await drain.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(drain.CallsEnding.IsCancellationRequested);
    }

    [Fact]
    public async Task A_zero_timeout_ends_the_calls_at_once()
    {
        var drain = await StartAsync(timeoutSeconds: 0);
        var call = drain.TryAdmitCall()!;

        var stopping = drain.StoppingAsync(CancellationToken.None);
        Assert.True(drain.CallsEnding.IsCancellationRequested);
        call.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_host_running_out_of_shutdown_time_ends_the_calls_before_the_drain_deadline()
    {
        var drain = await StartAsync(timeoutSeconds: 600);
        var call = drain.TryAdmitCall()!;
        using var shutdownTimeout = new CancellationTokenSource();

        var stopping = drain.StoppingAsync(shutdownTimeout.Token);
        Assert.False(drain.CallsEnding.IsCancellationRequested);
        await shutdownTimeout.CancelAsync();
        Assert.True(drain.CallsEnding.IsCancellationRequested);
        call.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_call_that_never_finishes_ending_holds_the_stop_only_for_the_ending_grace()
    {
        var drain = await StartAsync(timeoutSeconds: 10);
        _ = drain.TryAdmitCall()!; // a session stuck in its ending

        var stopping = drain.StoppingAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(drain.CallsEnding.IsCancellationRequested);
        await Task.Delay(50);
        Assert.False(stopping.IsCompleted);
        time.Advance(DrainOptions.EndingGrace - TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.False(stopping.IsCompleted);
        // The grace timer is set once the stop has seen the calls ended (asynchronously): advance until it has run out.
        for (var i = 0; i < 200 && !stopping.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, drain.LiveCalls);
    }

    [Fact]
    public void The_hosts_shutdown_timeout_covers_the_drain_and_the_endings()
    {
        var options = new DrainOptions { TimeoutSeconds = 600 };
        Assert.True(options.ShutdownTimeout >= options.Timeout + DrainOptions.EndingGrace);
    }

    public void Dispose()
    {
        drain?.Dispose();
        lifetime.StopApplication();
    }
}
