using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Voice.Data;

/// <summary>Leases on in-progress calls and the sweeper that finalises calls whose server is gone.</summary>
public sealed class CallLeaseTests
{
    private static Task<int> AddCallAsync(AppFactory app, CallStatus status = CallStatus.Ringing, string? token = null,
        DateTimeOffset? streamStartedAt = null, DateTimeOffset? turnAt = null) => app.WithDbAsync(async db =>
    {
        var now = app.Time.GetUtcNow();
        var call = new Call
        {
            CallSid = "CA" + Guid.NewGuid().ToString("N"), FromNumber = "+15125550100", Status = status, StartedAt = streamStartedAt ?? now,
            AnsweredAt = streamStartedAt, StreamStartedAt = streamStartedAt, StreamTokenHash = token is null ? null : StreamTokens.Hash(token),
            CreatedAt = now, UpdatedAt = now,
        };
        if (turnAt is { } at)
            call.Turns.Add(new CallTurn { Sequence = 1, Speaker = Speaker.Caller, Text = "hello", CreatedAt = at });
        db.Calls.Add(call);
        await db.SaveChangesAsync();
        return call.Id;
    });

    private static Task<Call> RowAsync(AppFactory app, int id) => app.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.Id == id));

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Calls_whose_lease_expired_are_finalised_once_as_server_lost_and_renewed_ones_are_not(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var sweeper = app.Services.GetRequiredService<CallLeaseSweeper>();
        var lease = app.Services.GetRequiredService<IOptions<CallLeaseOptions>>().Value;
        // The node's own sweeper runs too (on the fake clock): counts are taken from the log, across every sweeper.
        var logs = CapturedLogs.AttachTo(app);
        var start = app.Time.GetUtcNow();

        var (lostToken, liveToken) = (StreamTokens.Create(), StreamTokens.Create());
        var lost = await AddCallAsync(app, token: lostToken);
        var live = await AddCallAsync(app, token: liveToken);
        Assert.Equal(StreamClaimResult.Accepted, (await store.ClaimStreamAsync(lost, lostToken, "MZ1", default)).Result);
        Assert.Equal(StreamClaimResult.Accepted, (await store.ClaimStreamAsync(live, liveToken, "MZ2", default)).Result);
        // Streamed before leases existed: one silent for long, one with a recent turn, one that never streamed.
        var silentLegacy = await AddCallAsync(app, CallStatus.InProgress, streamStartedAt: start - TimeSpan.FromHours(2), turnAt: start - TimeSpan.FromMinutes(90));
        var talkingLegacy = await AddCallAsync(app, CallStatus.InProgress, streamStartedAt: start - TimeSpan.FromHours(1), turnAt: start - TimeSpan.FromMinutes(1));
        var notStreamed = await AddCallAsync(app, CallStatus.InProgress, streamStartedAt: null);

        var claimed = await RowAsync(app, lost);
        Assert.Equal((lease.EffectiveNodeId, start + lease.Lease), (claimed.LeaseOwner, claimed.LeaseExpiresAt));
        await sweeper.SweepAsync(default);
        Assert.Equal(CallStatus.Failed, (await RowAsync(app, silentLegacy)).Status);

        // The live session renews; the lost one's server is gone.
        app.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.RenewLeaseAsync(live, default));
        app.Time.Advance(TimeSpan.FromSeconds(20));
        await Task.WhenAll(sweeper.SweepAsync(default), sweeper.SweepAsync(default));
        Assert.Equal(0, await sweeper.SweepAsync(default));
        // The node's sweeper may have claimed a call (so ours found none) and not logged it yet.
        Assert.Equal(1, await logs.CountOnceLoggedAsync($"Call {lost} finalised"));
        Assert.Equal(1, await logs.CountOnceLoggedAsync($"Call {silentLegacy} finalised"));

        var swept = await RowAsync(app, lost);
        Assert.Equal((CallStatus.Failed, CallOutcome.Failed, CallLeaseSweeper.ServerLost), (swept.Status, swept.Outcome, swept.FailureReason));
        Assert.Equal((start + lease.Lease, (int)lease.Lease.TotalSeconds), (swept.EndedAt, swept.DurationSeconds));
        var legacy = await RowAsync(app, silentLegacy);
        Assert.Equal((CallStatus.Failed, start - TimeSpan.FromMinutes(90)), (legacy.Status, legacy.EndedAt));
        foreach (var id in new[] { live, talkingLegacy, notStreamed })
        {
            var row = await RowAsync(app, id);
            Assert.Equal((CallStatus.InProgress, (DateTimeOffset?)null), (row.Status, row.EndedAt));
        }
        Assert.Equal(start + TimeSpan.FromSeconds(20) + lease.Lease, (await RowAsync(app, live)).LeaseExpiresAt);
        // A lease once lost is not renewed back to life.
        Assert.False(await store.RenewLeaseAsync(lost, default));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_swept_call_gets_its_transcript_text_from_the_turns_its_lost_node_saved(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var sweeper = app.Services.GetRequiredService<CallLeaseSweeper>();
        var lease = app.Services.GetRequiredService<IOptions<CallLeaseOptions>>().Value;
        var token = StreamTokens.Create();
        var id = await AddCallAsync(app, token: token);
        Assert.Equal(StreamClaimResult.Accepted, (await store.ClaimStreamAsync(id, token, "MZ1", default)).Result);
        // What the node saved before it died: turns, out of insertion order (sequence decides), and no final write.
        await app.WithDbAsync(async d =>
        {
            var at = app.Time.GetUtcNow();
            d.CallTurns.AddRange(
                new CallTurn { CallId = id, Sequence = 2, Speaker = Speaker.Caller, Text = "I'm looking in Austin.", CreatedAt = at },
                new CallTurn { CallId = id, Sequence = 1, Speaker = Speaker.Agent, Text = "Hi, how can I help?", CreatedAt = at },
                new CallTurn { CallId = id, Sequence = 3, Speaker = Speaker.Agent, Text = "What is your budget?", Interrupted = true, CreatedAt = at });
            await d.SaveChangesAsync();
        });

        app.Time.Advance(lease.Lease + TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(default); // or the node's own sweeper, on the same fake clock: the row is what counts

        var swept = await RowAsync(app, id);
        Assert.Equal((CallStatus.Failed, CallLeaseSweeper.ServerLost), (swept.Status, swept.FailureReason));
        Assert.Equal("Agent: Hi, how can I help?\nCaller: I'm looking in Austin.\nAgent: What is your budget?", swept.TranscriptText);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_swept_call_whose_caller_had_not_agreed_to_be_recorded_has_its_WAV_here_deleted(Db db)
    {
        var temp = Directory.CreateTempSubdirectory("sweep-ask-").FullName;
        try
        {
            await using var app = await AppFactory.CreateAsync(db, new() { ["RECORDING_MODE"] = "ask", ["Recording:TempDirectory"] = temp });
            var store = app.Services.GetRequiredService<IVoiceCallStore>();
            var lease = app.Services.GetRequiredService<IOptions<CallLeaseOptions>>().Value;
            var token = StreamTokens.Create();
            var id = await AddCallAsync(app, token: token);
            Assert.Equal(StreamClaimResult.Accepted, (await store.ClaimStreamAsync(id, token, "MZ" + id, default)).Result);
            // The session died on this node before the caller answered the recording question.
            var wav = Path.Combine(temp, EstateVoice.Server.Features.Voice.Recording.RecordingJob.UnconsentedPath(
                EstateVoice.Server.Features.Voice.Recording.RecordingJob.FileName(id, "CA-sweep", new DateOnly(2026, 12, 3))));
            await File.WriteAllBytesAsync(wav, new byte[100]);

            app.Time.Advance(lease.Lease + TimeSpan.FromSeconds(1));
            await app.Services.GetRequiredService<CallLeaseSweeper>().SweepAsync(default);

            // The node's own sweeper runs on the same fake clock and may win the row; it deletes the file just after
            // its update, so this sweep can return before that delete is done.
            for (var i = 0; i < 200 && File.Exists(wav); i++) await Task.Delay(25);
            Assert.False(File.Exists(wav));
            var row = await RowAsync(app, id);
            Assert.Equal(("declined", EstateVoice.Server.Features.Voice.Recording.RecordingJob.UnconsentedDeleted), (row.RecordingStatus, row.RecordingStatusReason));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_swept_call_says_its_recording_went_with_its_node_and_one_set_earlier_stays(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var sweeper = app.Services.GetRequiredService<CallLeaseSweeper>();
        var lease = app.Services.GetRequiredService<IOptions<CallLeaseOptions>>().Value;
        var ids = new List<int>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var token = StreamTokens.Create();
            var id = await AddCallAsync(app, token: token);
            Assert.Equal(StreamClaimResult.Accepted, (await store.ClaimStreamAsync(id, token, "MZ" + id, default)).Result);
            ids.Add(id);
        }
        // The second is a resumed call whose first part was stored before its node died.
        await app.WithDbAsync(d => d.Calls.Where(c => c.Id == ids[1]).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.RecordingStatus, "recorded").SetProperty(c => c.RecordingStatusReason, "caller in TX; the greeting disclosed it")));

        app.Time.Advance(lease.Lease + TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(default);

        var lost = await RowAsync(app, ids[0]);
        Assert.Equal(("failed", CallLeaseSweeper.RecordingLost), (lost.RecordingStatus, lost.RecordingStatusReason));
        var resumed = await RowAsync(app, ids[1]);
        Assert.Equal(("recorded", "caller in TX; the greeting disclosed it"), (resumed.RecordingStatus, resumed.RecordingStatusReason));
        // The node comes back and stores the WAV it held: its status replaces the sweeper's.
        await app.Services.GetRequiredService<EstateVoice.Server.Features.Voice.Recording.IRecordingRowWriter>().WriteAsync(ids[0],
            new EstateVoice.Server.Features.Voice.Recording.RecordingRow("recorded", "recorded (stored after a restart)", "calls/2026-12-03/CA1.mp3", 12), default);
        Assert.Equal(("recorded", "recorded (stored after a restart)"), ((await RowAsync(app, ids[0])).RecordingStatus, (await RowAsync(app, ids[0])).RecordingStatusReason));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_swept_call_without_turns_keeps_a_null_transcript(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var sweeper = app.Services.GetRequiredService<CallLeaseSweeper>();
        var lease = app.Services.GetRequiredService<IOptions<CallLeaseOptions>>().Value;
        var token = StreamTokens.Create();
        var id = await AddCallAsync(app, token: token);
        Assert.Equal(StreamClaimResult.Accepted, (await store.ClaimStreamAsync(id, token, "MZ1", default)).Result);

        app.Time.Advance(lease.Lease + TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(default);

        var swept = await RowAsync(app, id);
        Assert.Equal((CallStatus.Failed, (string?)null), (swept.Status, swept.TranscriptText));
    }

    [Fact]
    public async Task A_running_call_keeps_renewing_its_lease_and_is_not_swept()
    {
        await using var app = new VoiceAppFactory { Tts = new ToneTextToSpeech(msPerWord: 10) };
        app.Settings["CallLeases:LeaseSeconds"] = "2";
        app.Settings["CallLeases:RenewSeconds"] = "1";
        app.Settings["CallLeases:SweepSeconds"] = "1";
        app.Settings["CallLeases:NodeId"] = "node-a";
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            var first = (await app.CallRowAsync(callId)).LeaseExpiresAt;
            await Task.Delay(TimeSpan.FromSeconds(4.5)); // over two leases, four sweeps
            var row = await app.CallRowAsync(callId);
            Assert.Equal((CallStatus.InProgress, (DateTimeOffset?)null, "node-a"), (row.Status, row.EndedAt, row.LeaseOwner));
            Assert.True(row.LeaseExpiresAt > first, "renewed");
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        Assert.Equal(CallStatus.Completed, (await app.CallRowAsync(callId)).Status);
    }
}
