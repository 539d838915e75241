using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// Deepgram's live and speak APIs with fixed latencies. Live: an energy VAD over the mu-law audio finds each
/// utterance; <c>SpeechStarted</c> at onset, the final (<c>is_final</c> + <c>speech_final</c>) transcript
/// <see cref="FixedLatency.SttFinalMs"/> after the endpointing silence, then <c>UtteranceEnd</c>. The transcript is
/// the next line of the script. Speak: first byte after <see cref="FixedLatency.TtsFirstByteMs"/>, then audio.
/// </summary>
public static class FakeDeepgram
{
    private static readonly short[] MulawToLinear = BuildTable();

    /// <param name="interims">Interim results before each final (the voice-to-voice mode); none when null.</param>
    public static void Map(WebApplication app, FixedLatency latency, IReadOnlyList<string> script, FakeInterims? interims = null)
    {
        app.Map("/v1/listen", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
            var endpointing = int.TryParse(context.Request.Query["endpointing"], out var e) ? e : latency.EndpointingMs;
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await ListenAsync(socket, latency with { EndpointingMs = endpointing }, script, interims, context.RequestAborted);
        });
        app.MapPost("/v1/speak", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var received = System.Diagnostics.Stopwatch.GetTimestamp();
            var text = body.RootElement.GetProperty("text").GetString() ?? "";
            await ExactDelay.Until(received, latency.TtsFirstByteMs, context.RequestAborted);
            context.Response.ContentType = "audio/basic";
            // ~65 ms of speech per character-ish word rate: 12 bytes (1.5 ms) per char keeps replies realistic.
            var audio = Tone(Math.Max(1600, text.Length * 480));
            for (var offset = 0; offset < audio.Length; offset += 3200)
            {
                await context.Response.Body.WriteAsync(audio.AsMemory(offset, Math.Min(3200, audio.Length - offset)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (offset == 0) ProviderLateness.Record(ProviderLateness.Tts, received, latency.TtsFirstByteMs);
            }
        });
    }

    private static async Task ListenAsync(WebSocket socket, FixedLatency latency, IReadOnlyList<string> script, FakeInterims? interims, CancellationToken ct)
    {
        long nextInterim = 0;
        var lastInterimSent = false;
        var buffer = new byte[16 * 1024];
        var sendLock = new SemaphoreSlim(1, 1);
        long samples = 0, speechStart = -1, lastVoice = -1;
        var utterance = 0;
        var pending = new List<Task>();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    var control = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (control.Contains("CloseStream")) break;
                    continue; // KeepAlive, Finalize
                }
                for (var i = 0; i < result.Count; i += 160)
                {
                    var frame = buffer.AsSpan(i, Math.Min(160, result.Count - i));
                    // Speech is any frame that is not digital silence, so "end of speech" is exactly when the
                    // simulated caller stopped sending its utterance (the overhead figure is measured from there).
                    var voiced = !IsSilence(frame);
                    samples += frame.Length;
                    if (voiced)
                    {
                        if (speechStart < 0)
                        {
                            speechStart = samples - frame.Length;
                            await SendAsync(socket, sendLock, new { type = "SpeechStarted", channel = new[] { 0 }, timestamp = speechStart / 8000.0 }, ct);
                            nextInterim = speechStart + (interims?.EveryMs ?? 0) * 8;
                        }
                        lastVoice = samples;
                        lastInterimSent = false;
                        if (interims is not null && samples >= nextInterim)
                        {
                            nextInterim += interims.EveryMs * 8;
                            await SendAsync(socket, sendLock, Interim(FakeInterims.Partial(script[utterance % script.Count]), speechStart, samples), ct);
                        }
                    }
                    else if (interims is not null && speechStart >= 0 && !lastInterimSent && (samples - lastVoice) / 8 >= interims.LagMs)
                    {
                        // The recogniser catches up with the end of the utterance while the caller is silent.
                        lastInterimSent = true;
                        await SendAsync(socket, sendLock, Interim(interims.Last(script[utterance % script.Count]), speechStart, samples), ct);
                    }
                    else if (speechStart >= 0 && (samples - lastVoice) / 8 >= latency.EndpointingMs)
                    {
                        var text = script[utterance++ % script.Count];
                        var (start, end) = (speechStart / 8000.0, lastVoice / 8000.0);
                        speechStart = -1;
                        var endpointed = System.Diagnostics.Stopwatch.GetTimestamp();
                        pending.Add(Task.Run(async () =>
                        {
                            await ExactDelay.Until(endpointed, latency.SttFinalMs, ct);
                            await SendAsync(socket, sendLock, new
                            {
                                type = "Results", channel_index = new[] { 0, 1 }, duration = end - start, start, is_final = true, speech_final = true,
                                channel = new { alternatives = new[] { new { transcript = text, confidence = 0.98, words = Array.Empty<object>() } } },
                            }, ct);
                            ProviderLateness.Record(ProviderLateness.Stt, endpointed, latency.SttFinalMs);
                            await SendAsync(socket, sendLock, new { type = "UtteranceEnd", channel = new[] { 0, 1 }, last_word_end = end }, ct);
                        }, ct));
                    }
                }
            }
            await Task.WhenAll(pending);
            await SendAsync(socket, sendLock, new { type = "Metadata", duration = samples / 8000.0 }, ct);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
    }

    private static object Interim(string text, long start, long end) => new
    {
        type = "Results",
        channel_index = new[] { 0, 1 },
        duration = (end - start) / 8000.0,
        start = start / 8000.0,
        is_final = false,
        speech_final = false,
        channel = new { alternatives = new[] { new { transcript = text, confidence = 0.9, words = Array.Empty<object>() } } },
    };

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, object message, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await sendLock.WaitAsync(ct);
        try { if (socket.State == WebSocketState.Open) await socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct); }
        finally { sendLock.Release(); }
    }

    private static bool IsSilence(ReadOnlySpan<byte> mulaw)
    {
        foreach (var b in mulaw)
            if (MulawToLinear[b] is > 8 or < -8) return false;
        return true;
    }

    private static byte[] Tone(int bytes)
    {
        // A 440 Hz tone encoded as mu-law: audible, non-silent agent audio.
        var audio = new byte[bytes];
        for (var i = 0; i < bytes; i++)
        {
            var sample = (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / 8000));
            audio[i] = Encode(sample);
        }
        return audio;
    }

    private static byte Encode(short sample)
    {
        const int bias = 0x84, clip = 32635;
        var sign = (sample >> 8) & 0x80;
        int magnitude = sign != 0 ? -sample : sample;
        magnitude = Math.Min(magnitude, clip) + bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    private static short[] BuildTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var u = ~i & 0xFF;
            var t = ((u & 0x0F) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            table[i] = (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
        }
        return table;
    }
}

/// <summary>
/// Interim results of the fake live STT: every <paramref name="EveryMs"/> of speech the first half of the line (the
/// recogniser lags the audio), and <paramref name="LagMs"/> after the caller's last voiced audio the whole line —
/// except on every <paramref name="MismatchEvery"/>-th utterance, where it still lacks the last word, so the final
/// (which has it) differs and a speculation on the interim must be discarded.
/// </summary>
public sealed record FakeInterims(int EveryMs, int LagMs, int MismatchEvery)
{
    public static string Partial(string line)
    {
        var words = line.Split(' ');
        return string.Join(' ', words.Take(Math.Max(1, words.Length / 2)));
    }

    // Counted over all calls (each call has only a few utterances).
    private int _served;

    public string Last(string line)
    {
        if (MismatchEvery <= 0 || Interlocked.Increment(ref _served) % MismatchEvery != 0) return line;
        var words = line.Split(' ');
        return string.Join(' ', words.Take(Math.Max(1, words.Length - 1)));
    }
}
