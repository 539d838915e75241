namespace EstateVoice.Server.Features.Voice.Pipeline;

/// <summary>Stages linked in order; frames enter at the head (downstream) and leave through the sinks at either edge.</summary>
public sealed class VoicePipeline : IAsyncDisposable
{
    private readonly FrameProcessor[] _stages;
    private readonly EdgeSink _downstreamSink;
    private readonly EdgeSink _upstreamSink;

    /// <param name="onDownstreamFrame">Receives frames that leave the last stage (may be null).</param>
    /// <param name="onUpstreamFrame">Receives frames pushed upstream out of the first stage (may be null).</param>
    public VoicePipeline(IReadOnlyList<FrameProcessor> stages,
        Func<Frame, ValueTask>? onDownstreamFrame = null, Func<Frame, ValueTask>? onUpstreamFrame = null)
    {
        if (stages.Count == 0) throw new ArgumentException("A pipeline needs at least one stage.", nameof(stages));
        _upstreamSink = new EdgeSink(onUpstreamFrame);
        _downstreamSink = new EdgeSink(onDownstreamFrame);
        _stages = [.. stages];
        _upstreamSink.Link(_stages[0]);
        for (var i = 0; i < _stages.Length - 1; i++)
            _stages[i].Link(_stages[i + 1]);
        _stages[^1].Link(_downstreamSink);
    }

    public IReadOnlyList<FrameProcessor> Stages => _stages;

    public async Task StartAsync(CancellationToken lifetime)
    {
        await _upstreamSink.StartAsync(lifetime).ConfigureAwait(false);
        await _downstreamSink.StartAsync(lifetime).ConfigureAwait(false);
        foreach (var stage in _stages)
            await stage.StartAsync(lifetime).ConfigureAwait(false);
    }

    /// <summary>Pushes a frame into the head of the pipeline.</summary>
    public ValueTask QueueFrameAsync(Frame frame) => _stages[0].QueueFrameAsync(frame, FrameDirection.Downstream);

    public async ValueTask DisposeAsync()
    {
        foreach (var stage in _stages)
            await stage.DisposeAsync().ConfigureAwait(false);
        await _upstreamSink.DisposeAsync().ConfigureAwait(false);
        await _downstreamSink.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The pipeline's edges: hands leaving frames to a callback, in order, and goes no further.</summary>
    private sealed class EdgeSink(Func<Frame, ValueTask>? callback) : FrameProcessor
    {
        protected override ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken) =>
            callback?.Invoke(frame) ?? ValueTask.CompletedTask;

        protected override ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime) =>
            callback?.Invoke(frame) ?? ValueTask.CompletedTask;
    }
}
