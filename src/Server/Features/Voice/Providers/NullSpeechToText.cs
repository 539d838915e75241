using System.Runtime.CompilerServices;

namespace EstateVoice.Server.Features.Voice.Providers;

/// <summary>
/// Recognises nothing: the fallback when no recogniser is configured. The call still runs (greeting, DTMF, idle
/// prompts) and browser test calls can type their turns.
/// </summary>
public sealed class NullSpeechToText : ISpeechToText
{
    public Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<ISpeechToTextSession>(new Session());

    private sealed class Session : ISpeechToTextSession
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async IAsyncEnumerable<SttEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await _done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            yield break;
        }

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            _done.TrySetResult();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _done.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
