using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Voice.Data;

/// <summary>
/// Turn rows go through the node's one batched writer: many calls' turns in few transactions, each call's turns in
/// the order they ended, everything queued written before a call's final status, one bad row not costing the others.
/// </summary>
public sealed class TurnBatchWriterTests
{
    private static Task<int[]> CallsAsync(AppFactory app, int count) => app.WithDbAsync(async db =>
    {
        var now = app.Time.GetUtcNow();
        var calls = Enumerable.Range(0, count).Select(_ => new Call
        {
            CallSid = "CA" + Guid.NewGuid().ToString("N"), FromNumber = "+15125550100", Status = CallStatus.InProgress,
            StartedAt = now, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        db.Calls.AddRange(calls);
        await db.SaveChangesAsync();
        return calls.Select(c => c.Id).ToArray();
    });

    private static CallTurnRecord Turn(int sequence) =>
        new(sequence, sequence % 2 == 1 ? TurnSpeaker.Agent : TurnSpeaker.Caller, $"turn {sequence}", sequence * 1000, sequence * 1000 + 800,
            null, false, null, null, null, null);

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Many_calls_turns_are_written_in_a_few_transactions_each_calls_in_the_order_they_ended(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var writer = app.Services.GetRequiredService<TurnBatchWriter>();
        var calls = await CallsAsync(app, 40);
        var before = writer.BatchesWritten;

        // 40 calls end 5 turns each at about the same time, as at a few hundred calls a node.
        var writes = new List<Task>();
        for (var sequence = 1; sequence <= 5; sequence++)
            foreach (var call in calls) writes.Add(store.AppendTurnAsync(call, Turn(sequence), default));
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));

        var rows = await app.WithDbAsync(d => d.CallTurns.AsNoTracking().Where(t => calls.Contains(t.CallId)).ToListAsync());
        Assert.Equal(200, rows.Count);
        foreach (var call in calls)
        {
            // Row ids follow the write order: each call's turns were inserted in the order they were appended.
            var ordered = rows.Where(r => r.CallId == call).OrderBy(r => r.Id).Select(r => (r.Sequence, r.Text)).ToArray();
            Assert.Equal([.. Enumerable.Range(1, 5).Select(s => (s, $"turn {s}"))], ordered);
        }
        var batches = writer.BatchesWritten - before;
        Assert.InRange(batches, 1, 20); // 200 rows, not 200 transactions
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Ending_a_call_writes_its_queued_turns_before_the_final_status_and_transcript(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var callId = (await CallsAsync(app, 1))[0];

        // Queued, not awaited: the call ends while its last turns are still waiting for their batch.
        var pending = Enumerable.Range(1, 3).Select(s => store.AppendTurnAsync(callId, Turn(s), default)).ToArray();
        await store.FinishCallAsync(callId, new CallEnd(CallEndStatus.Completed, CallOutcome.InformationProvided, null, null,
            app.Time.GetUtcNow(), 12), default);

        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().Include(c => c.Turns).SingleAsync(c => c.Id == callId));
        Assert.Equal(3, call.Turns.Count);
        Assert.Equal("Agent: turn 1\nCaller: turn 2\nAgent: turn 3", call.TranscriptText?.ReplaceLineEndings("\n"));
        Assert.Equal(CallStatus.Completed, call.Status);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_row_that_cannot_be_written_fails_its_own_write_and_the_rest_of_its_batch_is_saved(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var calls = await CallsAsync(app, 2);

        // The middle turn names a call that does not exist (a foreign key the database refuses).
        var first = store.AppendTurnAsync(calls[0], Turn(1), default);
        var bad = store.AppendTurnAsync(int.MaxValue, Turn(1), default);
        var last = store.AppendTurnAsync(calls[1], Turn(1), default);

        await Task.WhenAll(first, last).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<DbUpdateException>(() => bad.WaitAsync(TimeSpan.FromSeconds(30)));
        var rows = await app.WithDbAsync(d => d.CallTurns.AsNoTracking().Where(t => calls.Contains(t.CallId) || t.CallId == int.MaxValue).Select(t => t.CallId).ToListAsync());
        Assert.Equal(calls.Order(), rows.Order());
    }
}
