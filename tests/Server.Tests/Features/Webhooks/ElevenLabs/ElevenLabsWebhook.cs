using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>Signs and sends deliveries the way ElevenLabs does (t=…,v0=HMAC over "t.body").</summary>
public static class ElevenLabsWebhook
{
    public const string Secret = "wsec_test_0123456789abcdef";
    public const string Path = "/webhooks/elevenlabs";

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["ELEVENLABS_WEBHOOK_SECRET"] = Secret, ["ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE"] = "100000" };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return settings;
    }

    public static long Now(this AppFactory app) => app.Time.GetUtcNow().ToUnixTimeSeconds();

    public static HttpRequestMessage Request(byte[] body, string? signatureHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signatureHeader is not null) request.Headers.TryAddWithoutValidation("elevenlabs-signature", signatureHeader);
        return request;
    }

    public static Task<HttpResponseMessage> PostSignedAsync(this HttpClient client, AppFactory app, string body) =>
        client.SendAsync(Request(Encoding.UTF8.GetBytes(body), ElevenLabsSignatureVerifier.Header(Secret, app.Now(), Encoding.UTF8.GetBytes(body))));

    public static async Task<JsonElement> PostSignedJsonAsync(this HttpClient client, AppFactory app, string body)
    {
        var response = await client.PostSignedAsync(app, body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}

/// <summary>Bodies in both shapes: the seed's simple one and what ElevenLabs really sends.</summary>
public static class Payloads
{
    public static string Json(object value) => JsonSerializer.Serialize(value);

    public static string RealTranscription(long timestamp, string conversationId, string? callSid, string summary = "Caller wants a 3-bed in Oakland.",
        object? extraData = null) => Json(new
        {
            type = "post_call_transcription",
            event_timestamp = timestamp,
            data = new
            {
                agent_id = "agent_7101",
                conversation_id = conversationId,
                status = "done",
                user_id = (string?)null,
                transcript = new object[]
            {
                new { role = "agent", message = "Thanks for calling ABC Realty, how can I help?", time_in_call_secs = 0, tool_calls = Array.Empty<object>(), feedback = (object?)null },
                new { role = "user", message = "Hi, my name is jane doe and I'm looking for a three bedroom home.", time_in_call_secs = 4, interrupted = false },
                new { role = "agent", message = (string?)null, time_in_call_secs = 9, tool_calls = new[] { new { tool_name = "search_properties" } } },
                new { role = "agent", message = "I found two homes in Oakland.", time_in_call_secs = 11 },
            },
                metadata = new
                {
                    start_time_unix_secs = timestamp - 120,
                    call_duration_secs = 95,
                    cost = 421,
                    phone_call = callSid is null ? null : new { type = "twilio", direction = "inbound", phone_number_id = "pn_1", agent_number = "+14155550100", external_number = "+14155550123", call_sid = callSid, stream_sid = "MZ1" },
                },
                analysis = new
                {
                    evaluation_criteria_results = new { },
                    data_collection_results = new { },
                    call_successful = "success",
                    transcript_summary = summary,
                    call_summary_title = "Home search",
                },
                conversation_initiation_client_data = new
                {
                    dynamic_variables = new Dictionary<string, object?> { ["system__call_sid"] = callSid, ["system__conversation_id"] = conversationId },
                },
                has_audio = true,
                has_user_audio = true,
                has_response_audio = true,
                some_future_field = new { nested = new[] { 1, 2, 3 } },
                extra = extraData,
            },
        });

    public static string RealAudio(long timestamp, string conversationId, byte[] audio) => Json(new
    {
        type = "post_call_audio",
        event_timestamp = timestamp,
        data = new { agent_id = "agent_7101", conversation_id = conversationId, full_audio = Convert.ToBase64String(audio) },
    });

    public static string SeedTranscription(long timestamp, string callId, string transcript = "Agent: Hello, ABC Realty.\nCaller: Hi, this is Sam Lee calling about the listing.",
        string summary = "Sam asked about a listing.") => Json(new
        {
            type = "post_call_transcription",
            event_timestamp = timestamp,
            data = new { call_id = callId, transcript, summary, conversation_id = callId, has_audio = true, has_user_audio = true, has_response_audio = true },
        });

    public static string SeedAudio(long timestamp, string callId, byte[]? audio = null, string? audioUrl = null, object? durationSeconds = null) => Json(new
    {
        type = "post_call_audio",
        event_timestamp = timestamp,
        data = new { call_id = callId, audio = audio is null ? null : Convert.ToBase64String(audio), audio_url = audioUrl, duration_seconds = durationSeconds ?? 123 },
    });

    /// <summary>Something that looks like an MP3 (an ID3 header then noise), deterministic per seed.</summary>
    public static byte[] Mp3(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        "ID3"u8.CopyTo(bytes);
        return bytes;
    }
}
