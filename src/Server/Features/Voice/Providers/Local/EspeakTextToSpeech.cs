using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// Offline text-to-speech: espeak-ng (Debian package) → 22.05 kHz WAV → 8 kHz mu-law in C#. Short phrases the
/// agent says often (greeting, filler, apology) are cached, so the greeting is ready before a call starts.
/// </summary>
public sealed class EspeakTextToSpeech(ILogger<EspeakTextToSpeech> logger, string voice = "en-us", int wordsPerMinute = 165) : ITextToSpeech
{
    private const int MaxCachedPhraseLength = 160;
    private const int MaxCacheEntries = 512;
    private const int ChunkBytes = 1600; // 200 ms: the sender starts on the first chunk
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _cache = new(StringComparer.Ordinal);

    public bool IsRemote => false;

    /// <summary>Whether an <c>espeak-ng</c> executable is on the PATH (the fallback voice is offered only then).</summary>
    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "espeak-ng")));

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var audio = await GetAudioAsync(text, cancellationToken).ConfigureAwait(false);
        for (var offset = 0; offset < audio.Length; offset += ChunkBytes)
            yield return audio.AsMemory(offset, Math.Min(ChunkBytes, audio.Length - offset));
    }

    /// <summary>Synthesises and caches a phrase ahead of time (the greeting must play within 1.5 s of the call starting).</summary>
    public Task WarmUpAsync(string text, CancellationToken cancellationToken) => GetAudioAsync(text, cancellationToken);

    private Task<byte[]> GetAudioAsync(string text, CancellationToken cancellationToken)
    {
        text = text.Trim();
        if (text.Length > MaxCachedPhraseLength || _cache.Count >= MaxCacheEntries)
            return SynthesizeUncachedAsync(text, cancellationToken);
        var entry = _cache.GetOrAdd(text, t => new Lazy<Task<byte[]>>(() => SynthesizeUncachedAsync(t, CancellationToken.None)));
        var task = entry.Value;
        if (task.IsFaulted) _cache.TryRemove(text, out _);
        return task.WaitAsync(cancellationToken);
    }

    private async Task<byte[]> SynthesizeUncachedAsync(string text, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("espeak-ng")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Text goes through stdin, never the command line (it may start with '-' or hold anything the caller said).
        foreach (var arg in new[] { "-v", voice, "-s", wordsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stdout" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start");
        await using var registration = cancellationToken.Register(() =>
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
        });
        await process.StandardInput.WriteLineAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        process.StandardInput.Close();
        using var wav = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(wav, cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"espeak-ng failed ({process.ExitCode}): {await errors.ConfigureAwait(false)}");
        var (rate, samples) = PhoneAudio.ReadWav(wav.GetBuffer().AsSpan(0, (int)wav.Length));
        logger.LogDebug("espeak-ng synthesised {Samples} samples at {Rate} Hz", samples.Length, rate);
        return PhoneAudio.ToMulaw8k(samples, rate);
    }
}
