using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EstateVoice.Bench.Webhooks;

/// <summary>
/// Realistic post_call_transcription deliveries (ElevenLabs' real shape, six turns, ~2.5 KB), one new call each;
/// a share of deliveries repeats an earlier event (same body, freshly signed) as ElevenLabs' retries would.
/// </summary>
public sealed class EventSource(string secret, double duplicateShare)
{
    public const int TurnsPerEvent = 6;
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly List<byte[]> sentList = [];
    private int counter;
    public int Unique => counter;
    public int Duplicates;

    public (byte[] Body, string Signature, bool Duplicate) Next()
    {
        byte[]? body = null;
        if (Random.Shared.NextDouble() < duplicateShare)
            lock (sentList) if (sentList.Count > 0) body = sentList[Random.Shared.Next(sentList.Count)];
        var duplicate = body is not null;
        if (duplicate) Interlocked.Increment(ref Duplicates);
        else
        {
            body = Build(Interlocked.Increment(ref counter));
            lock (sentList) sentList.Add(body);
        }
        return (body!, Sign(body!), duplicate);
    }

    /// <summary>
    /// The body as text from a template rather than JsonSerializer over an anonymous object: the generator shares the
    /// machine's two cores with the server, so its own CPU per request is kept small.
    /// </summary>
    private byte[] Build(int n)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var sid = $"CA{run}{n:D8}";
        var body = $$$"""
            {"type":"post_call_transcription","event_timestamp":{{{now}}},"data":{"agent_id":"agent_bench","conversation_id":"conv_{{{run}}}_{{{n}}}","status":"done",
            "transcript":[{{{Transcript}}}],
            "metadata":{"start_time_unix_secs":{{{now - 70}}},"call_duration_secs":64,"cost":300,
            "phone_call":{"type":"twilio","direction":"inbound","agent_number":"+14155550100","external_number":"+14155550123","call_sid":"{{{sid}}}"}},
            "analysis":{"call_successful":"success","transcript_summary":"Jordan wants a 3-bed in Oakland under $900k; showing Saturday.","data_collection_results":{}},
            "conversation_initiation_client_data":{"dynamic_variables":{"system__call_sid":"{{{sid}}}"}},
            "has_audio":true,"has_user_audio":true,"has_response_audio":true}}
            """;
        return Encoding.UTF8.GetBytes(body);
    }

    /// <summary>One new call whose transcript has <paramref name="turns"/> turns (an abnormal or hostile payload), signed.</summary>
    public (byte[] Body, string Signature) Huge(int turns)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var sid = $"CA{run}huge{turns}";
        var transcript = string.Join(",", Enumerable.Range(0, turns).Select(i => JsonSerializer.Serialize(new
        {
            role = i % 2 == 0 ? "agent" : "user", message = $"Turn {i}: I am looking for a three bedroom house in Oakland near the park.", time_in_call_secs = i * 2,
        })));
        var body = Encoding.UTF8.GetBytes(
            $"{{\"type\":\"post_call_transcription\",\"event_timestamp\":{now},\"data\":{{\"conversation_id\":\"conv_{sid}\",\"transcript\":[{transcript}]," +
            $"\"metadata\":{{\"call_duration_secs\":{turns * 2},\"phone_call\":{{\"call_sid\":\"{sid}\"}}}},\"analysis\":{{\"transcript_summary\":\"A very long call.\"}}}}}}");
        return (body, Sign(body));
    }

    private static readonly string Transcript = string.Join(",", new[]
    {
        "Thanks for calling ABC Realty, this is the virtual assistant. How can I help?",
        "Hi, my name is Jordan Smith and I'm looking for a three bedroom house in Oakland.",
        "Great, what budget do you have in mind, and are you pre-approved for a mortgage?",
        "Around nine hundred thousand, and yes, we were pre-approved last month.",
        "I found two homes that match. Would you like to book a showing on Saturday?",
        "Saturday morning works, thank you.",
    }.Select((message, i) => JsonSerializer.Serialize(new { role = i % 2 == 0 ? "agent" : "user", message, time_in_call_secs = i * 9, tool_calls = Array.Empty<object>() })));

    private readonly byte[] key = Encoding.UTF8.GetBytes(secret);

    private string Sign(byte[] body)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, signed);
        signed[t.Length] = (byte)'.';
        body.CopyTo(signed, t.Length + 1);
        return $"t={t},v0={Convert.ToHexStringLower(HMACSHA256.HashData(key, signed))}";
    }
}
