using System.Runtime.CompilerServices;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Stages;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>The TTS stage's way out of a dead voice: a retry, then the fallback voice; local engines are never timed out.</summary>
public sealed class TtsStageFallbackTests
{
    private static readonly VoiceOptions Options = new() { TtsFirstByteTimeoutMs = 150, TtsStallTimeoutMs = 150, TtsAttempts = 2 };

    [Fact]
    public async Task A_voice_that_keeps_failing_is_tried_twice_then_the_fallback_says_the_sentence()
    {
        var main = new ScriptedVoice(remote: true) { Fail = true };
        var fallback = new ScriptedVoice(remote: false);
        await using var h = await new PipelineHarness(new TtsStage(main, fallback, Options, TimeProvider.System, NullLogger.Instance)).StartAsync();

        await h.PushAsync(new SpeakSentenceFrame("We have three homes."));
        var end = Assert.Single(await h.WaitForAsync<SentenceAudioEndFrame>(1));

        Assert.Equal("We have three homes.", end.Text);
        Assert.Equal((2, 1), (main.Requests, fallback.Requests));
        Assert.Equal(ScriptedVoice.Bytes, h.Downstream.OfType<OutputAudioFrame>().Sum(a => a.Mulaw.Length));
        Assert.Empty(h.Upstream.OfType<ErrorFrame>()); // the caller heard it: nothing to report

        // While the main voice is held down, the next sentence goes straight to the fallback.
        await h.PushAsync(new SpeakSentenceFrame("Shall I book a showing?"));
        await h.WaitForAsync<SentenceAudioEndFrame>(2);
        Assert.Equal((2, 2), (main.Requests, fallback.Requests));
    }

    [Fact]
    public async Task A_remote_voice_that_stalls_is_abandoned_and_without_a_fallback_the_sentence_is_skipped_and_reported()
    {
        var main = new ScriptedVoice(remote: true) { FirstByteDelay = Timeout.InfiniteTimeSpan };
        await using var h = await new PipelineHarness(new TtsStage(main, null, Options, TimeProvider.System, NullLogger.Instance)).StartAsync();

        await h.PushAsync(new SpeakSentenceFrame("We have three homes."));
        await h.PushAsync(new SpeakSentenceFrame("Bye."));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!h.Upstream.OfType<ErrorFrame>().Any() && DateTime.UtcNow < deadline) await Task.Delay(10);

        var error = Assert.Single(h.Upstream.OfType<ErrorFrame>());
        Assert.Equal("tts", error.Source);
        Assert.Empty(h.Downstream.OfType<SentenceAudioEndFrame>());
        Assert.True(main.Requests >= 2, $"{main.Requests} requests");
    }

    [Fact]
    public async Task A_slow_local_engine_is_waited_for_not_cut_off()
    {
        var local = new ScriptedVoice(remote: false) { FirstByteDelay = TimeSpan.FromMilliseconds(500) };
        await using var h = await new PipelineHarness(new TtsStage(local, null, Options, TimeProvider.System, NullLogger.Instance)).StartAsync();

        await h.PushAsync(new SpeakSentenceFrame("We have three homes."));
        await h.WaitForAsync<SentenceAudioEndFrame>(1);

        Assert.Equal(1, local.Requests);
        Assert.Empty(h.Upstream.OfType<ErrorFrame>());
    }

    private sealed class ScriptedVoice(bool remote) : ITextToSpeech
    {
        public const int Bytes = 1600;
        private int _requests;

        public bool Fail { get; init; }
        public TimeSpan FirstByteDelay { get; init; }
        public int Requests => Volatile.Read(ref _requests);
        public bool IsRemote => remote;

        public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            if (FirstByteDelay != TimeSpan.Zero) await Task.Delay(FirstByteDelay, cancellationToken);
            if (Fail) throw new HttpRequestException("503 from the voice");
            yield return new byte[Bytes / 2];
            yield return new byte[Bytes / 2];
        }
    }
}
