using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EstateVoice.Server.Features.Voice.Providers;

/// <summary>
/// Keeps the audio of the agent's fixed phrases (greeting, filler, idle prompt, apology) in memory, whatever the
/// provider, so they play at once: the greeting must start within 1.5 s of the stream starting.
/// </summary>
public sealed class CachedPhrasesTextToSpeech(ITextToSpeech inner, IEnumerable<string> phrases) : ITextToSpeech
{
    private readonly HashSet<string> _phrases = new(phrases.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()), StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _audio = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Phrases => _phrases;

    public bool IsRemote => inner.IsRemote;

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = text.Trim();
        if (_audio.TryGetValue(key, out var cached))
        {
            yield return cached;
            yield break;
        }
        if (!_phrases.Contains(key))
        {
            await foreach (var chunk in inner.SynthesizeAsync(text, cancellationToken).ConfigureAwait(false))
                yield return chunk;
            yield break;
        }
        var all = new List<byte>();
        await foreach (var chunk in inner.SynthesizeAsync(text, cancellationToken).ConfigureAwait(false))
        {
            all.AddRange(chunk.Span);
            yield return chunk;
        }
        _audio.TryAdd(key, [.. all]);
    }

    /// <summary>Synthesises every fixed phrase now (called at startup); failures leave the phrase uncached.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_phrases.Where(p => !_audio.ContainsKey(p)).Select(async phrase =>
        {
            var all = new List<byte>();
            await foreach (var chunk in inner.SynthesizeAsync(phrase, cancellationToken).ConfigureAwait(false))
                all.AddRange(chunk.Span);
            _audio.TryAdd(phrase, [.. all]);
        }));
}
