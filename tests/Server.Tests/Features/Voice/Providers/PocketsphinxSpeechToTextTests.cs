using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

public sealed class PocketsphinxSpeechToTextTests : IDisposable
{
    private readonly PocketsphinxSpeechToText _stt = new(Options.Create(new PocketsphinxOptions()));

    public void Dispose() => _stt.Dispose();

    [Fact]
    public async Task Each_utterance_gives_speech_started_then_a_speech_final_then_utterance_end_on_the_session_clock()
    {
        var first = AudioFixtures.Load("buyer-intent");
        var second = AudioFixtures.Load("goodbye");
        var silence = MuLaw.SilenceBytes(TimeSpan.FromMilliseconds(600));
        var events = await RunAsync([silence, first, silence, second, silence]);

        Assert.Equal(
            [typeof(SttSpeechStarted), typeof(SttTranscript), typeof(SttUtteranceEnd), typeof(SttSpeechStarted), typeof(SttTranscript), typeof(SttUtteranceEnd)],
            events.Select(e => e.GetType()));
        var starts = events.OfType<SttSpeechStarted>().ToList();
        var finals = events.OfType<SttTranscript>().ToList();
        Assert.All(finals, f => Assert.True(f.IsFinal && f.SpeechFinal));
        Assert.InRange(starts[0].Offset.TotalMilliseconds, 560, 700);        // the first utterance starts after 600 ms of silence
        var secondStart = (silence.Length * 2 + first.Length) / 8.0;
        Assert.InRange(starts[1].Offset.TotalMilliseconds, secondStart - 40, secondStart + 100);
        Assert.Contains("three bedroom", finals[0].Text);
        Assert.Contains("bye", finals[1].Text);
        var end = events.OfType<SttUtteranceEnd>().First();
        Assert.InRange(end.LastWordEnd.TotalMilliseconds, (silence.Length + first.Length) / 8.0 - 300, (silence.Length + first.Length) / 8.0 + 20);
    }

    [Fact]
    public async Task Completing_mid_utterance_flushes_a_final_and_ends_the_event_stream()
    {
        var events = await RunAsync([AudioFixtures.Load("book-showing")]); // no trailing silence: no endpoint

        var final = Assert.Single(events.OfType<SttTranscript>());
        Assert.True(final.IsFinal);
        Assert.False(final.SpeechFinal);
        Assert.Contains("saturday", final.Text);
    }

    [Fact]
    public async Task Silence_and_line_noise_produce_no_transcripts()
    {
        var random = new Random(1);
        // Quiet hiss (about 1% of full scale) around digital silence: below the speech threshold.
        var noise = Enumerable.Range(0, 16000).Select(_ => (byte)(random.Next(2) == 0 ? 0xF0 + random.Next(15) : 0x70 + random.Next(15))).ToArray();

        var events = await RunAsync([MuLaw.SilenceBytes(TimeSpan.FromSeconds(1)), noise]);

        Assert.Empty(events);
    }

    [Fact]
    public async Task Decoders_are_reused_across_calls()
    {
        var first = await RunAsync([AudioFixtures.Load("caller-name"), MuLaw.SilenceBytes(TimeSpan.FromMilliseconds(500))]);
        var started = TimeProvider.System.GetTimestamp();
        var second = await RunAsync([AudioFixtures.Load("caller-name"), MuLaw.SilenceBytes(TimeSpan.FromMilliseconds(500))]);

        Assert.Equal(first.OfType<SttTranscript>().Single().Text, second.OfType<SttTranscript>().Single().Text);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    private async Task<List<SttEvent>> RunAsync(byte[][] parts)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var session = await _stt.StartAsync(new SpeechToTextOptions("CA-local", EndpointingMs: 300, Keywords: PocketsphinxAccuracyTests.Cities), timeout.Token);
        var audio = parts.SelectMany(p => p).ToArray();
        for (var i = 0; i < audio.Length; i += 160) await session.SendAudioAsync(audio.AsMemory(i, Math.Min(160, audio.Length - i)), timeout.Token);
        await session.CompleteAsync(timeout.Token);
        var events = new List<SttEvent>();
        await foreach (var e in session.ReadEventsAsync(timeout.Token)) events.Add(e);
        return events;
    }
}
