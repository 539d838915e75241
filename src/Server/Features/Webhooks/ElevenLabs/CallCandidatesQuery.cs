using System.Collections.Concurrent;
using System.Text;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// The calls an event may be about — any of its identifiers as CallSid or ParentCallSid, or its conversation id —
/// read with hand-built SQL, untracked, with only the columns a transcription reads (<see cref="Loaded"/>) and
/// whether the call already has turns. Why not LINQ: EF's query pipeline and change tracking of the 28-column call
/// were the largest server cost per webhook (bench/Webhooks), and this runs once per delivery.
/// </summary>
internal static class CallCandidatesQuery
{
    /// <summary>The columns filled in on the calls returned; every other property keeps its default.</summary>
    public static readonly string[] Loaded =
    [
        nameof(Call.CallSid), nameof(Call.ParentCallSid), nameof(Call.ConversationId), nameof(Call.Status),
        nameof(Call.StartedAt), nameof(Call.EndedAt), nameof(Call.DurationSeconds),
    ];

    public sealed record Candidate(Call Call, bool HasTurns);

    private static readonly ConcurrentDictionary<(ModelColumns, int, bool), string> Statements = new();

    public static async Task<List<Candidate>> FindAsync(AppDbContext db, IReadOnlyList<string> ids, string? conversationId, CancellationToken cancellationToken)
    {
        var calls = ModelColumns.For<Call>(db);
        var turns = ModelColumns.For<CallTurn>(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = Statements.GetOrAdd((calls, ids.Count, conversationId is not null), key => Build(key.Item1, turns, key.Item2, key.Item3));
            for (var i = 0; i < ids.Count; i++)
                command.Parameters.Add(calls[nameof(Call.CallSid)].Mapping.CreateParameter(command, ModelColumns.Parameter(i), ids[i], nullable: false));
            if (conversationId is not null)
                command.Parameters.Add(calls[nameof(Call.ConversationId)].Mapping.CreateParameter(command, ModelColumns.Parameter(ids.Count), conversationId, nullable: true));

            var found = new List<Candidate>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var call = new Call
                {
                    Id = reader.GetInt32(0),
                    CallSid = reader.GetString(1),
                    ParentCallSid = ModelColumns.Read<string>(reader, 2, calls[nameof(Call.ParentCallSid)]),
                    ConversationId = ModelColumns.Read<string>(reader, 3, calls[nameof(Call.ConversationId)]),
                    Status = ModelColumns.Read<CallStatus>(reader, 4, calls[nameof(Call.Status)]),
                    StartedAt = ModelColumns.Read<DateTimeOffset>(reader, 5, calls[nameof(Call.StartedAt)]),
                    EndedAt = ModelColumns.Read<DateTimeOffset?>(reader, 6, calls[nameof(Call.EndedAt)]),
                    DurationSeconds = ModelColumns.Read<int?>(reader, 7, calls[nameof(Call.DurationSeconds)]),
                };
                found.Add(new Candidate(call, Convert.ToBoolean(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture)));
            }
            return found;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Build(ModelColumns calls, ModelColumns turns, int idCount, bool byConversation)
    {
        var idList = idCount == 0 ? "NULL" : string.Join(", ", Enumerable.Range(0, idCount).Select(ModelColumns.Parameter));
        var sql = new StringBuilder("SELECT c.").Append(calls.KeyColumn);
        foreach (var name in Loaded) sql.Append(", c.").Append(calls[name].Name);
        sql.Append($", EXISTS (SELECT 1 FROM {turns.Table} t WHERE t.{turns[nameof(CallTurn.CallId)].Name} = c.{calls.KeyColumn})");
        sql.Append($" FROM {calls.Table} c WHERE c.{calls[nameof(Call.CallSid)].Name} IN ({idList}) OR c.{calls[nameof(Call.ParentCallSid)].Name} IN ({idList})");
        if (byConversation) sql.Append($" OR c.{calls[nameof(Call.ConversationId)].Name} = {ModelColumns.Parameter(idCount)}");
        return sql.ToString();
    }
}
