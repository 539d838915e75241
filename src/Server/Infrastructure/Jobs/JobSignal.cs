using System.Threading.Channels;

namespace EstateVoice.Server.Infrastructure.Jobs;

/// <summary>Wakes this node's worker now (a job was enqueued here) instead of at its next poll.</summary>
public sealed class JobSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await channel.Reader.WaitToReadAsync(cancellationToken);
        channel.Reader.TryRead(out _);
    }
}
