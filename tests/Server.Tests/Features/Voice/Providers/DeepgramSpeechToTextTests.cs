using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Providers.Deepgram;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

public sealed class DeepgramSpeechToTextTests : IAsyncLifetime
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, string> _transcripts = AudioFixtures.Transcripts.ToDictionary();
    private FakeDeepgramServer _fake = null!;

    public async Task InitializeAsync() =>
        _fake = await FakeDeepgramServer.StartAsync(_transcripts["buyer-intent"], _transcripts["caller-name"], _transcripts["goodbye"]);

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Transcribes_each_utterance_with_finals_on_the_session_clock()
    {
        var (audio, ends) = Conversation("buyer-intent", "caller-name");
        await using var session = await StartAsync();
        var events = Collect(session);

        await SendInFramesAsync(session, audio);
        await session.CompleteAsync(Timeout());
        var received = await events;

        var finals = SpeechFinals(received);
        Assert.Equal([_transcripts["buyer-intent"], _transcripts["caller-name"]], finals.Select(f => f.Text));
        // The endpoint is 300 ms of silence after the last voiced frame of each utterance.
        for (var i = 0; i < ends.Count; i++) AssertNear(ends[i] + TimeSpan.FromMilliseconds(300), finals[i].End);
        Assert.Contains(received, e => e is SttSpeechStarted);
        Assert.Contains(received, e => e is SttTranscript { IsFinal: false });
        var query = Assert.Single(_fake.ListenQueries);
        Assert.Contains("endpointing=300", query);
        Assert.Contains("interim_results=true", query);
        Assert.Contains("vad_events=true", query);
        Assert.Contains("keyterm=Austin", query);
    }

    [Fact]
    public async Task Socket_drop_mid_utterance_loses_no_words_and_keeps_offsets()
    {
        var (audio, ends) = Conversation("buyer-intent", "caller-name", "goodbye");
        // Drop the first socket halfway through the second utterance.
        var firstLength = AudioFixtures.Load("buyer-intent").Length + Silence(Gap).Length;
        _fake.DropFirstConnectionAfterBytes = firstLength + AudioFixtures.Load("caller-name").Length / 2;
        await using var session = await StartAsync();
        var live = new List<SttEvent>();
        var events = Collect(session, live);

        // Real callers speak in real time, so the first final is back before the drop; audio it covers is not replayed.
        await SendInFramesAsync(session, audio.AsMemory(0, firstLength));
        await WaitUntilAsync(() => { lock (live) return SpeechFinals(live).Count == 1; });
        await SendInFramesAsync(session, audio.AsMemory(firstLength));
        await session.CompleteAsync(Timeout());
        var received = await events;

        var finals = SpeechFinals(received);
        Assert.Equal([_transcripts["buyer-intent"], _transcripts["caller-name"], _transcripts["goodbye"]], finals.Select(f => f.Text));
        Assert.Equal(2, _fake.Connections);
        for (var i = 0; i < ends.Count; i++) AssertNear(ends[i] + TimeSpan.FromMilliseconds(300), finals[i].End);
        Assert.DoesNotContain(received, e => e is SttError { Recoverable: false });
        // Only audio after the last final was replayed, not the whole call.
        var uncovered = audio.Length - (long)(finals[0].End.TotalSeconds * 8000);
        Assert.True(_fake.AudioBytesPerConnection.Last() <= uncovered,
            $"replayed {_fake.AudioBytesPerConnection.Last()} bytes; only {uncovered} were uncovered");
    }

    [Fact]
    public async Task A_first_connection_refused_with_a_500_starts_disconnected_keeps_the_audio_and_replays_it_once_connected()
    {
        _fake.ListenFaults.Enqueue(new ProviderFault.Refuse(500));
        _fake.ListenFaults.Enqueue(new ProviderFault.Refuse(503));
        var (audio, ends) = Conversation("buyer-intent");
        await using var session = await StartAsync(); // does not throw: an outage is worth retrying
        var live = new List<SttEvent>();
        var events = Collect(session, live);

        await SendInFramesAsync(session, audio);
        // The client's own "restored" (not the fake's accept): a session completing mid-reconnect reports no restore.
        await WaitUntilAsync(() => { lock (live) return live.OfType<SttConnectionRestored>().Any(); });
        await session.CompleteAsync(Timeout());
        var received = await events;

        Assert.IsType<SttConnectionLost>(received[0]);
        Assert.Single(received.OfType<SttConnectionRestored>());
        var final = Assert.Single(SpeechFinals(received));
        Assert.Equal(_transcripts["buyer-intent"], final.Text);
        AssertNear(ends[0] + TimeSpan.FromMilliseconds(300), final.End);
        Assert.DoesNotContain(received, e => e is SttError);
    }

    [Fact]
    public async Task Keeps_the_socket_alive_with_KeepAlive_while_no_audio_flows()
    {
        await using var session = await StartAsync(o => o.KeepAliveAfter = TimeSpan.FromMilliseconds(150));
        var events = Collect(session);

        await SendInFramesAsync(session, Conversation("buyer-intent").Audio);
        // Like Deepgram's 10 s NET-0001 rule, scaled down; armed once audio stops so a slow test start cannot trip it.
        // 20 keep-alive periods: a busy test machine can hold a timer back for a second, which must not read as a lapse.
        _fake.IdleTimeout = TimeSpan.FromMilliseconds(3000);
        await WaitUntilAsync(() => _fake.ControlMessages.Count(m => m == "KeepAlive") >= 24); // ~3.6 s with no audio on the wire
        await SendInFramesAsync(session, Conversation("caller-name").Audio);
        await session.CompleteAsync(Timeout());

        var finals = SpeechFinals(await events);
        Assert.Equal([_transcripts["buyer-intent"], _transcripts["caller-name"]], finals.Select(f => f.Text));
        Assert.Equal((0, 1), (_fake.IdleCloses, _fake.Connections));
    }

    [Fact]
    public async Task CloseStream_flushes_the_final_of_an_unfinished_utterance_then_ends_the_events()
    {
        await using var session = await StartAsync();
        var events = Collect(session);

        await SendInFramesAsync(session, AudioFixtures.Load("buyer-intent")); // no trailing silence: no endpoint yet
        await session.CompleteAsync(Timeout());
        var received = await events; // completes only because the event stream ended

        var final = Assert.Single(received.OfType<SttTranscript>(), t => t.IsFinal && t.Text.Length > 0);
        Assert.Equal(_transcripts["buyer-intent"], final.Text);
        Assert.Equal("CloseStream", _fake.ControlMessages.Last());
    }

    [Fact]
    public async Task Gives_up_with_an_unrecoverable_error_when_reconnects_fail()
    {
        _fake.DropFirstConnectionAfterBytes = 8000;
        _fake.RefuseReconnects = true;
        await using var session = await StartAsync(o => o.MaxReconnectAttempts = 2);
        var events = Collect(session);

        await SendInFramesAsync(session, AudioFixtures.Load("buyer-intent"));
        var received = await events; // the stream ends on its own: the session never hangs

        Assert.IsType<SttError>(received.Last());
        Assert.False(((SttError)received.Last()).Recoverable);
        Assert.Equal(3, _fake.Connections);
    }

    [Fact]
    public async Task A_socket_that_answers_nothing_after_the_caller_stops_talking_is_replaced_after_1_5_s_of_audio_and_the_words_arrive()
    {
        _fake.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(0)); // open, taking audio, answering nothing
        var utterance = AudioFixtures.Load("buyer-intent");
        await using var session = await StartAsync();
        var live = new List<SttEvent>();
        var events = Collect(session, live);

        await SendInFramesAsync(session, utterance);
        await SendInFramesAsync(session, Silence(TimeSpan.FromMilliseconds(400)));
        session.CallerStoppedSpeaking(); // our VAD: the caller has stopped
        var speechEnd = utterance.Length + 3200;
        await SendInFramesAsync(session, Silence(TimeSpan.FromSeconds(2.5))); // the phone line goes on carrying silence
        await WaitUntilAsync(() => { lock (live) return SpeechFinals(live).Count == 1; });
        await session.CompleteAsync(Timeout());
        var received = await events;

        // Given up on exactly 1.5 s of audio after the end of speech (the frame that crossed the line may be lost with it).
        var firstSocket = _fake.AudioBytesPerConnection.First();
        Assert.InRange(firstSocket, speechEnd + 12000 - 320, speechEnd + 12000);
        Assert.Equal(2, _fake.Connections);
        Assert.Equal(_transcripts["buyer-intent"], Assert.Single(SpeechFinals(received)).Text);
        // The outage lasts until the new socket answers: lost, restored, then the replayed words.
        var lost = received.FindIndex(e => e is SttConnectionLost);
        var restored = received.FindIndex(e => e is SttConnectionRestored);
        var final = received.FindIndex(e => e is SttTranscript { IsFinal: true, Text.Length: > 0 });
        Assert.True(lost >= 0 && lost < restored && restored < final, string.Join(", ", received.Select(e => e.GetType().Name)));
        Assert.DoesNotContain(received, e => e is SttError);
    }

    [Fact]
    public async Task Quiet_sockets_we_replace_do_not_use_up_the_reconnect_cap_and_the_outage_dates_from_the_wait()
    {
        _fake.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(0));
        _fake.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(0));
        // One drop allowed: two stall replacements used to count as two and end speech-to-text as "keeps dropping".
        await using var session = await StartAsync(o => o.MaxReconnectsPerSession = 1);
        var live = new List<SttEvent>();
        var events = Collect(session, live);

        await SendInFramesAsync(session, AudioFixtures.Load("buyer-intent"));
        await SendInFramesAsync(session, Silence(TimeSpan.FromMilliseconds(400)));
        session.CallerStoppedSpeaking();
        // The line goes on carrying silence: each socket is given up 1.5 s of audio after it was owed an answer. The
        // next stretch waits until the new socket carries the replay: audio sent while the client is still connecting
        // is replayed and the new socket's watch starts after it, so a stretch sent then would never run out its 1.5 s.
        for (var connections = 2; connections <= 3; connections++)
        {
            await SendInFramesAsync(session, Silence(TimeSpan.FromSeconds(2)));
            var expected = connections;
            await WaitUntilAsync(() => _fake.ConnectionsThatHeardAudio == expected);
        }
        await WaitUntilAsync(() => { lock (live) return SpeechFinals(live).Count == 1; });
        await session.CompleteAsync(Timeout());
        var received = await events;

        Assert.Equal(3, _fake.Connections);
        Assert.Equal(_transcripts["buyer-intent"], Assert.Single(SpeechFinals(received)).Text);
        Assert.DoesNotContain(received, e => e is SttError);
        // Each time, the caller had been waiting 1.5 s of audio for an answer when the socket was given up.
        var lost = received.OfType<SttConnectionLost>().ToList();
        Assert.Equal(2, lost.Count);
        Assert.All(lost, l => Assert.InRange(l.QuietFor.TotalMilliseconds, 1500, 1540));
    }

    [Fact]
    public async Task A_socket_silent_for_10_s_of_audio_is_replaced_even_when_nobody_spoke()
    {
        _fake.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(0));
        await using var session = await StartAsync();
        var live = new List<SttEvent>();
        var events = Collect(session, live);

        await SendInFramesAsync(session, Silence(TimeSpan.FromSeconds(12)));
        await WaitUntilAsync(() => { lock (live) return live.OfType<SttConnectionRestored>().Any(); });
        await session.CompleteAsync(Timeout());
        var received = await events;

        // Given up at 10 s of audio (80,000 bytes), not at the 1.5 s owed after speech. The fake may not have read the
        // last frames when the socket is aborted (they are lost with it, and replayed), so the lower bound allows 1 s.
        Assert.InRange(_fake.AudioBytesPerConnection.First(), 80000 - 8000, 80000);
        Assert.Equal(2, _fake.Connections);
        Assert.Equal(1, received.Count(e => e is SttConnectionLost));
        Assert.DoesNotContain(received, e => e is SttError);
    }

    [Fact]
    public async Task A_healthy_socket_is_kept_through_speech_and_the_silence_after_it_in_real_time()
    {
        await using var session = await StartAsync();
        var live = new List<SttEvent>();
        var events = Collect(session, live);

        await SendInFramesAsync(session, AudioFixtures.Load("buyer-intent"));
        await SendInFramesAsync(session, Silence(TimeSpan.FromMilliseconds(400)));
        session.CallerStoppedSpeaking();
        // At the pace of a phone line: the answers then come back as they would from Deepgram.
        var silence = Silence(TimeSpan.FromSeconds(3));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < silence.Length; i += 160)
        {
            var due = TimeSpan.FromMilliseconds(i / 8);
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            await session.SendAudioAsync(silence.AsMemory(i, 160), Timeout());
        }
        await session.CompleteAsync(Timeout());
        var received = await events;

        Assert.Equal(_transcripts["buyer-intent"], Assert.Single(SpeechFinals(received)).Text);
        Assert.Equal(1, _fake.Connections);
        Assert.DoesNotContain(received, e => e is SttConnectionLost or SttError);
    }

    [Fact]
    public async Task Refuses_to_start_with_a_wrong_key()
    {
        var stt = new DeepgramSpeechToText(Options.Create(new DeepgramOptions { ApiKey = "wrong", ApiUrl = _fake.BaseUrl }),
            TimeProvider.System, NullLogger<DeepgramSpeechToText>.Instance);
        // A refusal is not retried (an outage is): the call learns at once that it cannot hear the caller.
        var error = await Assert.ThrowsAsync<DeepgramRejectedException>(() => stt.StartAsync(new("CA1"), Timeout()));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.Status);
    }

    private async Task<ISpeechToTextSession> StartAsync(Action<DeepgramOptions>? configure = null)
    {
        var options = new DeepgramOptions { ApiKey = FakeDeepgramServer.ApiKey, ApiUrl = _fake.BaseUrl };
        configure?.Invoke(options);
        var stt = new DeepgramSpeechToText(Options.Create(options), TimeProvider.System, NullLogger<DeepgramSpeechToText>.Instance);
        return await stt.StartAsync(new SpeechToTextOptions("CA123", EndpointingMs: 300, Keywords: ["Austin", "Dallas"]), Timeout());
    }

    private static Task<List<SttEvent>> Collect(ISpeechToTextSession session, List<SttEvent>? live = null) => Task.Run(async () =>
    {
        var list = live ?? [];
        await foreach (var e in session.ReadEventsAsync(Timeout()))
        {
            lock (list) list.Add(e);
        }
        return list;
    });

    private static async Task SendInFramesAsync(ISpeechToTextSession session, ReadOnlyMemory<byte> audio)
    {
        for (var i = 0; i < audio.Length; i += 160)
        {
            await session.SendAudioAsync(audio.Slice(i, Math.Min(160, audio.Length - i)), Timeout());
        }
    }

    /// <summary>Utterances separated (and followed) by <see cref="Gap"/> of silence, with the session offset each one's speech ends at.</summary>
    private static (byte[] Audio, List<TimeSpan> SpeechEnds) Conversation(params string[] names)
    {
        var audio = new List<byte>();
        var ends = new List<TimeSpan>();
        foreach (var name in names)
        {
            var utterance = AudioFixtures.Load(name);
            audio.AddRange(utterance);
            ends.Add(TimeSpan.FromSeconds(audio.Count / 8000.0) - TrailingQuiet(utterance));
            audio.AddRange(Silence(Gap));
        }
        return (audio.ToArray(), ends);
    }

    private static TimeSpan TrailingQuiet(byte[] utterance)
    {
        var quietFrames = 0;
        for (var end = utterance.Length; end >= 160; end -= 160)
        {
            var frame = utterance.AsSpan(end - 160, 160).ToArray();
            if (frame.Average(b => Math.Abs((int)MuLaw.Decode(b))) > 400) break;
            quietFrames++;
        }
        return TimeSpan.FromMilliseconds(20 * quietFrames);
    }

    private static byte[] Silence(TimeSpan duration) => MuLaw.SilenceBytes(duration);

    private static List<SttTranscript> SpeechFinals(IEnumerable<SttEvent> events) =>
        events.OfType<SttTranscript>().Where(t => t.IsFinal && t.Text.Length > 0).ToList();

    private static void AssertNear(TimeSpan expected, TimeSpan actual) =>
        Assert.True(Math.Abs((expected - actual).TotalMilliseconds) <= 60, $"expected ~{expected.TotalMilliseconds} ms, got {actual.TotalMilliseconds} ms");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        while (!condition()) await Task.Delay(20, timeout.Token);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TestTimeout).Token;
}
