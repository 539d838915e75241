using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EstateVoice.Server.Tests.Fakes;

public sealed partial class FakeDeepgramServer
{
    /// <summary>Per-socket energy VAD on audio time; positions are bytes since this socket's first audio byte.</summary>
    private sealed class UtteranceDetector(FakeDeepgramServer server, int endpointingBytes, int utteranceEndBytes)
    {
        private readonly List<byte> _partialFrame = new(FrameBytes);
        private bool _inSpeech;
        private long _speechStart, _lastVoice, _lastFinalEnd, _nextInterimAt;
        private bool _utteranceEndPending;
        private ulong _fingerprint;
        private int _fingerprintFrames;

        public long Position { get; private set; }

        public List<string> Feed(ReadOnlySpan<byte> audio)
        {
            var output = new List<string>();
            foreach (var b in audio)
            {
                _partialFrame.Add(b);
                if (_partialFrame.Count < FrameBytes) continue;
                OnFrame(_partialFrame, MeanAbsolute(_partialFrame), output);
                _partialFrame.Clear();
            }
            return output;
        }

        public List<string> Flush(bool fromFinalize)
        {
            var output = new List<string>();
            Position += _partialFrame.Count;
            _partialFrame.Clear();
            if (_inSpeech)
            {
                output.Add(Results(server.TranscriptFor(_fingerprint), _lastFinalEnd, Position, isFinal: true, speechFinal: false, fromFinalize));
                _inSpeech = false;
                _lastFinalEnd = Position;
            }
            else if (Position > _lastFinalEnd)
            {
                output.Add(Results("", _lastFinalEnd, Position, isFinal: true, speechFinal: false, fromFinalize));
                _lastFinalEnd = Position;
            }
            return output;
        }

        private void OnFrame(List<byte> frame, double energy, List<string> output)
        {
            var frameStart = Position;
            Position += FrameBytes;
            if (energy > server.SpeechThreshold)
            {
                if (!_inSpeech)
                {
                    _inSpeech = true;
                    _speechStart = frameStart;
                    _nextInterimAt = frameStart + BytesPerSecond / 2;
                    _fingerprint = 14695981039346656037UL;
                    _fingerprintFrames = 0;
                    output.Add(JsonSerializer.Serialize(new { type = "SpeechStarted", channel = new[] { 0 }, timestamp = Seconds(frameStart) }));
                }
                _lastVoice = Position;
                _utteranceEndPending = false;
                if (_fingerprintFrames++ < 10)
                {
                    foreach (var b in frame) _fingerprint = (_fingerprint ^ b) * 1099511628211UL; // FNV-1a
                }
                if (Position >= _nextInterimAt)
                {
                    var words = server.TranscriptFor(_fingerprint).Split(' ');
                    output.Add(Results(string.Join(' ', words.Take(Math.Max(1, words.Length / 2))), _lastFinalEnd, Position, false, false, false));
                    _nextInterimAt += BytesPerSecond / 2;
                }
                return;
            }
            if (_inSpeech && Position - _lastVoice >= endpointingBytes)
            {
                output.Add(Results(server.TranscriptFor(_fingerprint), _lastFinalEnd, Position, isFinal: true, speechFinal: true, fromFinalize: false));
                _inSpeech = false;
                _lastFinalEnd = Position;
                _utteranceEndPending = true;
                return;
            }
            if (_inSpeech) return;
            if (_utteranceEndPending && Position - _lastVoice >= utteranceEndBytes)
            {
                output.Add(JsonSerializer.Serialize(new { type = "UtteranceEnd", channel = new[] { 0, 1 }, last_word_end = Seconds(_lastVoice) }));
                _utteranceEndPending = false;
            }
            if (Position - _lastFinalEnd >= BytesPerSecond)
            {
                output.Add(Results("", _lastFinalEnd, Position, isFinal: true, speechFinal: false, fromFinalize: false));
                _lastFinalEnd = Position;
            }
        }

        private string Results(string transcript, long start, long end, bool isFinal, bool speechFinal, bool fromFinalize)
        {
            var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var speechFrom = Math.Max(start, _speechStart);
            var step = words.Length == 0 ? 0 : (double)(Math.Max(_lastVoice, speechFrom) - speechFrom) / words.Length;
            return JsonSerializer.Serialize(new
            {
                type = "Results",
                channel_index = new[] { 0, 1 },
                duration = Seconds(end - start),
                start = Seconds(start),
                is_final = isFinal,
                speech_final = speechFinal,
                from_finalize = fromFinalize,
                channel = new
                {
                    alternatives = new[]
                    {
                        new
                        {
                            transcript,
                            confidence = words.Length == 0 ? 0 : 0.97,
                            words = words.Select((w, i) => new
                            {
                                word = w.Trim(',', '.', '?', '!').ToLowerInvariant(),
                                start = Seconds((long)(speechFrom + i * step)),
                                end = Seconds((long)(speechFrom + (i + 1) * step)),
                                confidence = 0.97,
                                punctuated_word = w,
                            }).ToArray(),
                        },
                    },
                },
                metadata = new { request_id = "fake", model_info = new { name = "nova-3", version = "fake", arch = "fake" }, model_uuid = "fake" },
            });
        }

        private FakeDeepgramServer Server => server;

        private static double Seconds(long bytes) => bytes / (double)BytesPerSecond;
    }

    private static double MeanAbsolute(ReadOnlySpan<byte> audio)
    {
        if (audio.IsEmpty) return 0;
        long sum = 0;
        foreach (var b in audio) sum += Math.Abs((int)MuLaw.Decode(b));
        return (double)sum / audio.Length;
    }

    private static double MeanAbsolute(List<byte> frame) => MeanAbsolute(CollectionsMarshal.AsSpan(frame));
}
