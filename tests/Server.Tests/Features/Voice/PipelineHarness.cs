using System.Collections.Concurrent;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>Frames in → frames out: runs stages in a pipeline and records what leaves each edge.</summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly VoicePipeline _pipeline;
    private readonly CancellationTokenSource _lifetime = new();

    public ConcurrentQueue<Frame> Downstream { get; } = new();
    public ConcurrentQueue<Frame> Upstream { get; } = new();

    public PipelineHarness(params FrameProcessor[] stages)
    {
        _pipeline = new VoicePipeline(stages,
            f => { Downstream.Enqueue(f); return ValueTask.CompletedTask; },
            f => { Upstream.Enqueue(f); return ValueTask.CompletedTask; });
    }

    public async Task<PipelineHarness> StartAsync()
    {
        await _pipeline.StartAsync(_lifetime.Token);
        return this;
    }

    public ValueTask PushAsync(Frame frame) => _pipeline.QueueFrameAsync(frame);

    public async Task<T[]> WaitForAsync<T>(int count, int timeoutMs = 5000) where T : Frame
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (Downstream.OfType<T>().Count() < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"expected {count} {typeof(T).Name}");
            await Task.Delay(5);
        }
        return [.. Downstream.OfType<T>()];
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        await _pipeline.DisposeAsync();
        _lifetime.Dispose();
    }
}
