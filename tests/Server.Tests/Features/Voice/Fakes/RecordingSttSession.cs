using EstateVoice.Server.Features.Voice.Providers;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// A speech-to-text session that keeps every audio message it is sent, in order, and answers nothing; its event stream
/// ends when it is completed, as a provider's does after its final results.
/// </summary>
public sealed class RecordingSttSession : ISpeechToTextSession
{
    private readonly Lock _gate = new();
    private readonly List<byte[]> _messages = [];
    private readonly List<int> _stoppedSpeakingAt = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Each audio message as sent, and <c>null</c> where <see cref="CompleteAsync"/> was called.</summary>
    public IReadOnlyList<byte[]?> Messages
    {
        get { lock (_gate) return [.. _messages]; }
    }

    /// <summary>All audio received, in order.</summary>
    public byte[] Received
    {
        get { lock (_gate) return [.. _messages.Where(m => m is not null).SelectMany(m => m)]; }
    }

    /// <summary>The audio received (bytes) each time the caller was said to have stopped speaking.</summary>
    public IReadOnlyList<int> StoppedSpeakingAt
    {
        get { lock (_gate) return [.. _stoppedSpeakingAt]; }
    }

    public void CallerStoppedSpeaking()
    {
        lock (_gate) _stoppedSpeakingAt.Add(_messages.Where(m => m is not null).Sum(m => m.Length));
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        lock (_gate) _messages.Add(mulaw.ToArray());
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<SttEvent> ReadEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        yield break;
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _messages.Add(null!);
        _completed.TrySetResult();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
