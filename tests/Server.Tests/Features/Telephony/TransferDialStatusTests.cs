using System.Net;
using System.Xml.Linq;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>
/// COMMON contract 3, Twilio's side: the transfer's Dial action (<c>/twilio/voice/dial-status</c>) and the warm
/// transfer's whisper (<c>/twilio/voice/whisper</c>), posted to the real app as Twilio posts them (signed, form-encoded).
/// </summary>
public sealed class TransferDialStatusTests : IAsyncLifetime
{
    private const string AuthToken = "twilio-test-auth-token";
    private AppFactory _app = null!;

    public async Task InitializeAsync() =>
        _app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["TWILIO_AUTH_TOKEN"] = AuthToken, ["PUBLIC_BASE_URL"] = PublicBaseUrl });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("completed")]
    [InlineData("answered")]
    public async Task A_connected_transfer_keeps_the_call_completed_as_transferred_and_hangs_up(string dialStatus)
    {
        var call = await AddTransferredCallAsync("CA-T1");

        var twiml = await PostDialStatusAsync(call.Id, DialStatus("CA-T1", dialStatus));

        Assert.Equal(["Hangup"], Verbs(twiml));
        var after = await CallAsync(call.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.Transferred, call.EndedAt), (after.Status, after.Outcome, after.EndedAt));
    }

    [Theory]
    [InlineData("no-answer")]
    [InlineData("busy")]
    [InlineData("failed")]
    [InlineData("canceled")]
    public async Task A_failed_dial_with_the_caller_on_the_line_reopens_the_call_on_a_new_stream(string dialStatus)
    {
        var lead = await TwilioWebhookTests.AddLeadAsync(_app, "+15125550100", agentId: null);
        var call = await AddTransferredCallAsync("CA-T2", lead.Id);

        var twiml = await PostDialStatusAsync(call.Id, DialStatus("CA-T2", dialStatus));

        var stream = twiml.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://voice.example.com/twilio/media-stream", (string)stream.Attribute("url")!);
        var parameters = stream.Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.Equal((call.Id.ToString(), "transfer_failed", dialStatus, lead.Id.ToString(), "inbound"),
            (parameters["call_id"], parameters["resume"], parameters["dial_status"], parameters["lead_id"], parameters["direction"]));
        var reopened = await CallAsync(call.Id);
        Assert.Equal((CallStatus.InProgress, CallOutcome.TransferFailed), (reopened.Status, reopened.Outcome));
        Assert.Equal((null, null, null), (reopened.EndedAt, reopened.StreamStartedAt, reopened.TranscriptText));
        Assert.True(StreamTokens.Matches(parameters["stream_token"], reopened.StreamTokenHash));

        // The voice side admits the new stream for the same call with that token (and only once).
        var store = _app.Services.GetRequiredService<IVoiceCallStore>();
        var claim = await store.ClaimStreamAsync(call.Id, parameters["stream_token"], "MZ2", CancellationToken.None);
        Assert.Equal(StreamClaimResult.Accepted, claim.Result);
        Assert.Equal(StreamClaimResult.AlreadyStreaming, (await store.ClaimStreamAsync(call.Id, parameters["stream_token"], "MZ3", CancellationToken.None)).Result);
    }

    [Fact]
    public async Task A_replayed_dial_status_changes_nothing_and_gets_a_hang_up()
    {
        var call = await AddTransferredCallAsync("CA-T3");
        var report = DialStatus("CA-T3", "no-answer");
        var first = await PostDialStatusAsync(call.Id, report);
        Assert.NotNull(first.Element("Connect"));
        var reopened = await CallAsync(call.Id);

        var replayed = await PostDialStatusAsync(call.Id, report); // before the new stream connects
        Assert.Equal(["Hangup"], Verbs(replayed));
        Assert.Equal(reopened.StreamTokenHash, (await CallAsync(call.Id)).StreamTokenHash);

        // After the resumed session ended with a later outcome, a replay cannot re-open the call again either.
        await _app.WithDbAsync(d => d.Calls.Where(c => c.Id == call.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, CallStatus.Completed).SetProperty(c => c.Outcome, CallOutcome.ShowingBooked)
            .SetProperty(c => c.EndedAt, _app.Time.GetUtcNow()).SetProperty(c => c.StreamStartedAt, _app.Time.GetUtcNow())
            .SetProperty(c => c.StreamTokenHash, (string?)null)));
        Assert.Equal(["Hangup"], Verbs(await PostDialStatusAsync(call.Id, report)));
        var final = await CallAsync(call.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.ShowingBooked, null), (final.Status, final.Outcome, final.StreamTokenHash));
    }

    [Fact]
    public async Task A_failed_dial_after_the_caller_hung_up_records_the_failure_without_reopening()
    {
        var call = await AddTransferredCallAsync("CA-T4");

        var twiml = await PostDialStatusAsync(call.Id, DialStatus("CA-T4", "no-answer", callStatus: "completed"));

        Assert.Equal(["Hangup"], Verbs(twiml));
        var after = await CallAsync(call.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.TransferFailed, null), (after.Status, after.Outcome, after.StreamTokenHash));
        Assert.NotNull(after.EndedAt);
    }

    [Fact]
    public async Task Unknown_mismatched_or_never_transferred_calls_get_a_safe_hang_up_and_stay_as_they_were()
    {
        var booked = await AddTransferredCallAsync("CA-T5", outcome: CallOutcome.ShowingBooked);
        var client = _app.CreateClient();

        Assert.Equal(["Hangup"], Verbs(await PostDialStatusAsync(999_999, DialStatus("CA-T5", "no-answer"))));
        Assert.Equal(["Hangup"], Verbs(await PostDialStatusAsync(booked.Id, DialStatus("CA-T5", "no-answer"))));
        Assert.Equal(["Hangup"], Verbs(await PostDialStatusAsync(booked.Id, DialStatus("CA-OTHER", "no-answer")))); // another call's report
        var garbage = await PostSignedAsync(client, "/twilio/voice/dial-status?call_id=abc", DialStatus("CA-T5", "no-answer"), AuthToken);
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Equal(["Hangup"], Verbs(XDocument.Parse(await garbage.Content.ReadAsStringAsync()).Root!));

        var after = await CallAsync(booked.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.ShowingBooked, booked.EndedAt, null), (after.Status, after.Outcome, after.EndedAt, after.StreamTokenHash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bad-signature")]
    public async Task An_unsigned_or_badly_signed_dial_status_or_whisper_is_403_and_changes_nothing(string? signature)
    {
        var call = await AddTransferredCallAsync("CA-T6");
        var client = _app.CreateClient();

        var dial = await PostSignedAsync(client, $"/twilio/voice/dial-status?call_id={call.Id}", DialStatus("CA-T6", "no-answer"), null, signature);
        var whisper = await PostSignedAsync(client, $"/twilio/voice/whisper?call_id={call.Id}&text=hi", DialStatus("CA-T6", "in-progress"), null, signature);
        // Signed for another call's URL: the call_id is part of what Twilio signs.
        var moved = await PostSignedAsync(client, $"/twilio/voice/dial-status?call_id={call.Id}", DialStatus("CA-T6", "no-answer"), null,
            Sign(AuthToken, $"{PublicBaseUrl}/twilio/voice/dial-status?call_id={call.Id + 1}", DialStatus("CA-T6", "no-answer")));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (dial.StatusCode, whisper.StatusCode, moved.StatusCode));
        Assert.Equal("application/problem+json", dial.Content.Headers.ContentType?.MediaType);
        var after = await CallAsync(call.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.Transferred, null), (after.Status, after.Outcome, after.StreamTokenHash));
    }

    [Fact]
    public async Task The_whisper_says_its_text_to_the_person_before_they_are_connected()
    {
        const string text = "Maria Lopez & family, 3-bed in Austin <urgent>";
        var path = $"/twilio/voice/whisper?call_id=7&text={Uri.EscapeDataString(text)}";

        var response = await PostSignedAsync(_app.CreateClient(), path, DialStatus("CA-W1", "in-progress"), AuthToken);
        var empty = await PostSignedAsync(_app.CreateClient(), "/twilio/voice/whisper?call_id=7", DialStatus("CA-W1", "in-progress"), AuthToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(text, root.Element("Say")!.Value);
        Assert.Empty(XDocument.Parse(await empty.Content.ReadAsStringAsync()).Root!.Elements()); // nothing to say: connect at once
    }

    [Fact]
    public async Task A_fast_busy_waits_for_the_first_session_to_finish_the_call_then_reopens_it()
    {
        var call = await AddTransferredCallAsync("CA-T7", stillStreaming: true);

        var pending = PostDialStatusAsync(call.Id, DialStatus("CA-T7", "busy"));
        await AdvanceUntilAsync(pending, TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted); // the session has not written its end yet
        await _app.Services.GetRequiredService<IVoiceCallStore>().FinishCallAsync(call.Id,
            new CallEnd(CallEndStatus.Completed, CallOutcome.Transferred, null, null, _app.Time.GetUtcNow(), 30), CancellationToken.None);
        await AdvanceUntilDoneAsync(pending);

        var twiml = await pending;
        Assert.NotNull(twiml.Element("Connect"));
        var reopened = await CallAsync(call.Id);
        Assert.Equal((CallStatus.InProgress, CallOutcome.TransferFailed, null), (reopened.Status, reopened.Outcome, reopened.EndedAt));
    }

    [Fact]
    public async Task A_session_that_never_finishes_the_call_in_time_gets_the_caller_an_apology_and_a_hang_up()
    {
        var call = await AddTransferredCallAsync("CA-T8", stillStreaming: true);

        var pending = PostDialStatusAsync(call.Id, DialStatus("CA-T8", "no-answer"));
        await AdvanceUntilDoneAsync(pending);

        var twiml = await pending;
        Assert.Equal(["Say", "Hangup"], Verbs(twiml));
        var ended = await CallAsync(call.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.TransferFailed), (ended.Status, ended.Outcome));
        // The session's late final write leaves that alone.
        await _app.Services.GetRequiredService<IVoiceCallStore>().FinishCallAsync(call.Id,
            new CallEnd(CallEndStatus.Completed, CallOutcome.Transferred, null, null, _app.Time.GetUtcNow(), 30), CancellationToken.None);
        Assert.Equal(CallOutcome.TransferFailed, (await CallAsync(call.Id)).Outcome);
    }

    [Fact]
    public async Task A_resumed_calls_second_transfer_is_known_by_its_dial_sid_not_taken_for_a_replay_of_the_first()
    {
        var call = await AddTransferredCallAsync("CA-T9");
        var first = DialStatus("CA-T9", "no-answer", dialCallSid: "CA-dial-1");
        Assert.NotNull((await PostDialStatusAsync(call.Id, first)).Element("Connect"));
        await ResumedStreamAsync(call.Id);

        // A replay of the first report while the resumed stream is live: recognised at once, without waiting.
        var replay = PostDialStatusAsync(call.Id, first);
        Assert.Equal(["Hangup"], Verbs(await replay.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Null((await CallAsync(call.Id)).EndedAt);

        // The resumed call transfers again; that dial fails fast, before the session has written the call's end.
        var second = PostDialStatusAsync(call.Id, DialStatus("CA-T9", "busy", dialCallSid: "CA-dial-2"));
        await AdvanceUntilAsync(second, TimeSpan.FromSeconds(1));
        Assert.False(second.IsCompleted);
        await FinishAsync(call.Id, CallOutcome.Transferred);
        await AdvanceUntilDoneAsync(second);
        var twiml = await second;
        Assert.NotNull(twiml.Element("Connect")); // back to the agent, a second time
        var reopened = await CallAsync(call.Id);
        Assert.Equal((CallStatus.InProgress, CallOutcome.TransferFailed, "CA-dial-2"), (reopened.Status, reopened.Outcome, reopened.LastDialCallSid));
    }

    [Fact]
    public async Task A_resumed_calls_second_transfer_whose_session_never_finishes_gets_the_apology_not_silence()
    {
        var call = await AddTransferredCallAsync("CA-T10");
        Assert.NotNull((await PostDialStatusAsync(call.Id, DialStatus("CA-T10", "no-answer", dialCallSid: "CA-dial-1"))).Element("Connect"));
        await ResumedStreamAsync(call.Id);

        var second = PostDialStatusAsync(call.Id, DialStatus("CA-T10", "failed", dialCallSid: "CA-dial-2"));
        await AdvanceUntilDoneAsync(second);

        Assert.Equal(["Say", "Hangup"], Verbs(await second));
        var ended = await CallAsync(call.Id);
        Assert.Equal((CallStatus.Completed, CallOutcome.TransferFailed, "CA-dial-2"), (ended.Status, ended.Outcome, ended.LastDialCallSid));
    }

    /// <summary>The re-opened call's new stream connected (what <c>ClaimStreamAsync</c> writes), and its session runs.</summary>
    private Task ResumedStreamAsync(int callId) =>
        _app.WithDbAsync(d => d.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.StreamStartedAt, _app.Time.GetUtcNow()).SetProperty(c => c.StreamTokenHash, (string?)null)));

    private Task FinishAsync(int callId, CallOutcome outcome) =>
        _app.Services.GetRequiredService<IVoiceCallStore>().FinishCallAsync(callId,
            new CallEnd(CallEndStatus.Completed, outcome, null, null, _app.Time.GetUtcNow(), 30), CancellationToken.None);

    /// <summary>A call whose first stream asked for a transfer: finished as Transferred by its session, or still finishing.</summary>
    private Task<Call> AddTransferredCallAsync(string callSid, int? leadId = null, CallOutcome outcome = CallOutcome.Transferred, bool stillStreaming = false) =>
        _app.WithDbAsync(async d =>
        {
            var now = _app.Time.GetUtcNow();
            var call = new Call
            {
                CallSid = callSid, Direction = CallDirection.Inbound, FromNumber = "+15125550100", ToNumber = "+15125550199", LeadId = leadId,
                Status = stillStreaming ? CallStatus.InProgress : CallStatus.Completed, Outcome = stillStreaming ? null : outcome,
                StartedAt = now.AddMinutes(-2), AnsweredAt = now.AddMinutes(-2), StreamStartedAt = now.AddMinutes(-2),
                EndedAt = stillStreaming ? null : now, DurationSeconds = stillStreaming ? null : 120, TranscriptText = stillStreaming ? null : "Caller: a person please",
                CreatedAt = now, UpdatedAt = now,
            };
            d.Calls.Add(call);
            await d.SaveChangesAsync();
            return call;
        });

    private static Dictionary<string, string> DialStatus(string callSid, string dialStatus, string callStatus = "in-progress", string? dialCallSid = null)
    {
        var form = VoiceRequest(callSid, status: callStatus);
        form["DialCallStatus"] = dialStatus;
        form["DialCallSid"] = dialCallSid ?? "CA-child-" + callSid;
        if (dialStatus is "completed" or "answered") form["DialCallDuration"] = "42";
        return form;
    }

    private async Task<XElement> PostDialStatusAsync(int callId, Dictionary<string, string> form)
    {
        var response = await PostSignedAsync(_app.CreateClient(), $"/twilio/voice/dial-status?call_id={callId}", form, AuthToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }

    /// <summary>Moves the app's fake clock on in small steps until <paramref name="task"/> is done or <paramref name="span"/> has passed.</summary>
    /// <summary>
    /// Moves the fake clock on until <paramref name="task"/> is done, however long the server takes to reach its
    /// wait: a fixed span of fake time could all pass before a slow (loaded) server had started the timer it waits on.
    /// </summary>
    private async Task AdvanceUntilDoneAsync(Task task)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        while (!task.IsCompleted && wall.Elapsed < TimeSpan.FromSeconds(60))
        {
            _app.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(task, Task.Delay(10));
        }
    }

    private async Task AdvanceUntilAsync(Task task, TimeSpan span)
    {
        for (var passed = TimeSpan.Zero; passed < span && !task.IsCompleted; passed += TimeSpan.FromMilliseconds(100))
        {
            _app.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(task, Task.Delay(10)); // lets the request reach its next poll
        }
    }

    private Task<Call> CallAsync(int id) => _app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync(c => c.Id == id));

    private static string[] Verbs(XElement response) => response.Elements().Select(e => e.Name.LocalName).ToArray();
}
