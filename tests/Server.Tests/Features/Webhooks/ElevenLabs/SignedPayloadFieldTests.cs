using System.Net;
using System.Text.Json;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>
/// A valid signature says ElevenLabs sent a delivery, not that its ids fit our columns or its text our databases:
/// a signed delivery with over-long ids or NUL characters never answers 500 (ElevenLabs would retry it for ever).
/// A delivery we can never process is answered as every malformed one is: 200 with <c>success: false</c> and the
/// reason (so ElevenLabs does not retry a poison event), and logged as failed for the admin page.
/// </summary>
public sealed class SignedPayloadFieldTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Over_long_ids_fail_the_event_naming_the_field_and_write_no_call(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var client = app.CreateClient();

        var longConversation = await client.PostSignedAsync(app, Payloads.RealTranscription(app.Now(), "conv_" + new string('c', 10_000), "CA1"));
        var longCallSid = await client.PostSignedAsync(app, Payloads.RealTranscription(app.Now(), "conv_ok", "CA" + new string('1', 500)));

        foreach (var (response, field) in new[] { (longConversation, "conversation_id"), (longCallSid, "call_sid") })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(reply.GetProperty("success").GetBoolean());
            Assert.StartsWith(field + " is longer than", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
        var logged = await app.WithDbAsync(d => d.ElevenLabsEventLogs.Select(e => e.ProcessingState).ToListAsync());
        Assert.Equal([WebhookProcessingState.Failed, WebhookProcessingState.Failed], logged);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Nul_characters_in_text_are_stored_as_replacement_characters_not_a_500(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings());
        var body = Payloads.RealTranscription(app.Now(), "conv_nul", "CA" + Guid.NewGuid().ToString("N"), summary: "Wants a 3-bed\u0000 in Oakland.")
            .Replace("jane doe", "jane\\u0000doe", StringComparison.Ordinal);

        var response = await app.CreateClient().PostSignedAsync(app, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await app.WithDbAsync(d => d.Calls.Include(c => c.Turns).SingleAsync());
        Assert.Equal("Wants a 3-bed\uFFFD in Oakland.", call.TranscriptSummary);
        Assert.Contains(call.Turns, t => t.Text.Contains("jane\uFFFDdoe", StringComparison.Ordinal));
    }
}
