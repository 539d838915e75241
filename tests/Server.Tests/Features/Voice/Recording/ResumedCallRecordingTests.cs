using System.Net.Http.Headers;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>A call resumed after a failed transfer is one recording: its second stream lands after the first, the dial's gap silent.</summary>
public sealed class ResumedCallRecordingTests
{
    private static readonly VoiceOptions Defaults = new();

    private static async Task WaitForAsync(VoiceAppFactory app, int callId, Func<Call, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (done(await app.CallRowAsync(callId))) return;
            await Task.Delay(50);
        }
        var last = await app.CallRowAsync(callId);
        throw new TimeoutException($"{what}: recording {last.RecordingStatus} ({last.RecordingStatusReason}), ended {last.EndedAt}");
    }

    /// <summary>What the dial-status webhook does when nobody answered, then the caller's new stream, which hears the resume line.</summary>
    private static async Task ResumeAsync(VoiceAppFactory app, int callId)
    {
        var token = StreamTokens.Create();
        await app.WithDbAsync(db => db.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, CallStatus.InProgress).SetProperty(c => c.EndedAt, (DateTimeOffset?)null)
            .SetProperty(c => c.StreamStartedAt, (DateTimeOffset?)null).SetProperty(c => c.StreamTokenHash, StreamTokens.Hash(token))
            .SetProperty(c => c.Outcome, CallOutcome.TransferFailed)));
        await using var again = new SimulatedCall();
        await again.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
        await again.StartAsync(callId, token, parameters: new Dictionary<string, string>
        {
            [CallSession.ResumeParameter] = CallSession.ResumeAfterFailedTransfer, ["dial_status"] = "no-answer",
        });
        await again.WaitForAgentToFinishAsync();
        await again.StopAsync();
        await again.WaitUntilAsync(() => app.CallEndedAsync(callId));
    }

    private static async Task<byte[]> DownloadAsync(VoiceAppFactory app, int callId)
    {
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await app.AccessTokenAsync(await app.CreateUserAsync(UserRole.Admin)));
        return await http.GetByteArrayAsync($"/calls/{callId}/recording");
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("wav")]
    public async Task The_resumed_stream_is_added_after_the_first_on_the_calls_clock_with_the_gap_silent(string format)
    {
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, new ScriptedSpeechToText(), new ToneTextToSpeech(msPerWord: 40));
        app.Settings["RECORDING_MODE"] = "disclose";
        app.Settings["RECORDING_FORMAT"] = format;
        var (caller, callId) = await app.CallAsync(from: "+15125550142");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.HangUpAsync(CancellationToken.None);
        }
        await WaitForAsync(app, callId, c => c.RecordingStatus == RecordingStatuses.Recorded, "first part stored");
        var firstBlob = (await app.CallRowAsync(callId)).RecordingBlobName;
        await Task.Delay(1500); // the dial nobody answered
        await ResumeAsync(app, callId);
        await WaitForAsync(app, callId, c => c.RecordingStatus == RecordingStatuses.Recorded, "second part stored");

        var row = await app.CallRowAsync(callId);
        Assert.Equal(firstBlob, row.RecordingBlobName);
        var greeting = row.Turns.OrderBy(t => t.Sequence).First();
        var resumed = row.Turns.Single(t => t.Text.Contains(Defaults.TransferResumeLine, StringComparison.Ordinal));
        // The second stream's turns carry on the call's clock: after the first stream and the dial's gap.
        Assert.True(resumed.StartMs >= greeting.EndMs + 1400, $"resume line at {resumed.StartMs} ms, greeting ended at {greeting.EndMs} ms");
        var (left, right) = await RecordingAudio.DecodeAsync(await DownloadAsync(app, callId));
        var (at, end) = (resumed.StartMs / 1000.0, resumed.EndMs / 1000.0);
        Assert.True(left.Length / 8000.0 >= end - 0.1, $"recording {left.Length / 8000.0:F2} s, resume line at {at:F2}-{end:F2} s");
        Assert.True(RecordingAudio.Rms(right, 0.2, 0.6) > 1000, $"first stream's greeting: {RecordingAudio.Rms(right, 0.2, 0.6):F0}");
        Assert.True(RecordingAudio.Rms(right, at + 0.05, end - 0.1) > 1000, $"resume line: {RecordingAudio.Rms(right, at + 0.05, end - 0.1):F0}");
        var gap = (greeting.EndMs / 1000.0 + 0.5, at - 0.5);
        Assert.True(RecordingAudio.Rms(right, gap.Item1, gap.Item2) < 100, $"the dial's gap is silent: {RecordingAudio.Rms(right, gap.Item1, gap.Item2):F0}");
        Assert.InRange(row.RecordingDurationSeconds!.Value, (int)at, (int)(left.Length / 8000.0) + 1);
    }

    [Fact]
    public async Task In_ask_mode_a_resumed_stream_keeps_the_yes_given_before_the_transfer()
    {
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, new ScriptedSpeechToText("Yes, that's fine."), new ToneTextToSpeech(msPerWord: 20));
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
        await WaitForAsync(app, callId, c => c.RecordingStatus == RecordingStatuses.Recorded, "first part stored");
        await ResumeAsync(app, callId); // nothing said: not asked again, the earlier yes holds
        await WaitForAsync(app, callId, c => c.RecordingStatus == RecordingStatuses.Recorded, "second part stored");
        var row = await app.CallRowAsync(callId);
        Assert.Equal("caller in CA agreed", row.RecordingStatusReason);
        var resumed = row.Turns.Single(t => t.Text.Contains(Defaults.TransferResumeLine, StringComparison.Ordinal));
        var (_, right) = await RecordingAudio.DecodeAsync(await DownloadAsync(app, callId));
        Assert.True(RecordingAudio.Rms(right, resumed.StartMs / 1000.0 + 0.05, resumed.EndMs / 1000.0 - 0.1) > 1000, "the resume line is recorded");
    }
}
