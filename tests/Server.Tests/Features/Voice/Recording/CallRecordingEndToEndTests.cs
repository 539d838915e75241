using System.Net;
using System.Net.Http.Headers;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>A call over a real WebSocket, recorded, encoded by the real ffmpeg and served by <c>GET /calls/{id}/recording</c>.</summary>
public sealed class CallRecordingEndToEndTests
{
    private static readonly string Disclosure = new RecordingOptions().Disclosure;

    private static async Task<int> WaitForRecordingStatusAsync(VoiceAppFactory app, int callId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var row = await app.CallRowAsync(callId);
            if (row.RecordingStatus == status) return callId;
            await Task.Delay(50);
        }
        var last = await app.CallRowAsync(callId);
        throw new TimeoutException($"recording status {last.RecordingStatus} ({last.RecordingStatusReason}), wanted {status}");
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_finished_call_gets_a_stereo_recording_with_the_caller_left_and_the_agent_right_served_with_ranges(Db db)
    {
        var tts = new ToneTextToSpeech(msPerWord: 60);
        await using var app = await VoiceAppFactory.CreateAsync(db, new ScriptedSpeechToText(AudioFixtures.Transcripts["buyer-intent"]), tts);
        app.Settings["RECORDING_MODE"] = "disclose";
        var (caller, callId) = await app.CallAsync(from: "+15125550142");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            var before = caller.Media.Count;
            await caller.SayAsync(AudioFixtures.Load("buyer-intent"), speed: 1);
            await caller.WaitForAgentToFinishAsync(sinceMediaCount: before);
            await caller.HangUpAsync(CancellationToken.None);
        }
        await WaitForRecordingStatusAsync(app, callId, RecordingStatuses.Recorded);
        var row = await app.CallRowAsync(callId);
        Assert.Contains(row.Turns, t => t.Text.Contains(Disclosure, StringComparison.Ordinal)); // the greeting said the call is recorded
        Assert.Equal($"/calls/{callId}/recording", row.RecordingUrl);
        Assert.Matches(@"^calls/\d{4}-\d{2}-\d{2}/CA[0-9a-f]{32}\.mp3$", row.RecordingBlobName!);
        Assert.Equal("caller in TX; the greeting disclosed it", row.RecordingStatusReason);
        Assert.InRange(row.RecordingDurationSeconds!.Value, 2, 60);

        using var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await app.AccessTokenAsync(await app.CreateUserAsync(UserRole.Admin)));
        var whole = await http.GetAsync($"/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/mpeg", whole.Content.Headers.ContentType?.MediaType);
        var mp3 = await whole.Content.ReadAsByteArrayAsync();
        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/calls/{callId}/recording") { Headers = { Range = new RangeHeaderValue(100, 199) } };
        var part = await http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(mp3[100..200], await part.Content.ReadAsByteArrayAsync());

        var (left, right) = await RecordingAudio.DecodeAsync(mp3);
        var seconds = left.Length / 8000.0;
        // The greeting (tones) opens the call on the right while the caller is quiet on the left.
        Assert.True(RecordingAudio.Rms(right, 0.1, 0.6) > 1000, $"agent greeting on the right: {RecordingAudio.Rms(right, 0.1, 0.6):F0}");
        Assert.True(RecordingAudio.Rms(left, 0.1, 0.6) < 100, $"caller quiet on the left during the greeting: {RecordingAudio.Rms(left, 0.1, 0.6):F0}");
        // The caller's words are on the left somewhere after it, and there the agent is quiet (it listened).
        var loudest = Enumerable.Range(0, (int)(seconds * 4)).Select(q => q / 4.0).MaxBy(t => RecordingAudio.Rms(left, t, t + 0.25));
        Assert.True(RecordingAudio.Rms(left, loudest, loudest + 0.25) > 500, "the caller's speech is on the left");
        Assert.True(RecordingAudio.Rms(right, loudest, loudest + 0.25) < 100, "the agent was quiet while the caller spoke");
    }

    [Fact]
    public async Task A_caller_in_a_consent_state_who_says_no_is_not_recorded_and_the_row_says_why()
    {
        var tts = new ToneTextToSpeech(msPerWord: 20);
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, new ScriptedSpeechToText("No, I'd rather not."), tts);
        app.Settings["RECORDING_MODE"] = "ask";
        var (caller, callId) = await app.CallAsync(from: "+14155550142");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            var before = caller.Media.Count;
            await caller.SayAsync(AudioFixtures.Load("buyer-intent"), speed: 1); // real time: the turn's start maps onto the clock as it would from Twilio
            await caller.WaitForAgentToFinishAsync(sinceMediaCount: before);
            await caller.HangUpAsync(CancellationToken.None);
        }
        await WaitForRecordingStatusAsync(app, callId, RecordingStatuses.Declined);
        var row = await app.CallRowAsync(callId);
        Assert.Contains(row.Turns, t => t.Text.Contains(new RecordingOptions().ConsentQuestion, StringComparison.Ordinal));
        Assert.Equal("caller in CA declined", row.RecordingStatusReason);
        Assert.Null(row.RecordingBlobName);
        var pending = Path.Combine(app.Services.GetRequiredService<RecordingOptions>().TempDirectory);
        Assert.True(!Directory.Exists(pending) || Directory.GetFiles(pending).Length == 0, "the declined call's audio was deleted");
    }

    [Fact]
    public async Task With_recording_off_nothing_is_recorded_or_said_and_the_row_says_so()
    {
        var tts = new ToneTextToSpeech(msPerWord: 20);
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, new ScriptedSpeechToText(), tts);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.HangUpAsync(CancellationToken.None);
        }
        await WaitForRecordingStatusAsync(app, callId, RecordingStatuses.Off);
        Assert.DoesNotContain(Disclosure, tts.Spoken);
        var row = await app.CallRowAsync(callId);
        Assert.Null(row.RecordingBlobName);
        Assert.Equal("recording is off (RECORDING_MODE=off)", row.RecordingStatusReason);
    }
}
