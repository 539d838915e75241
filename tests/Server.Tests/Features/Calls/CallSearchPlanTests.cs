using System.Data.Common;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Calls;

/// <summary>
/// The calls list's <c>q</c> on PostgreSQL, over a table the size of a busy office's year (20,000 calls, 160,000
/// turns): the plan must read the trigram indexes on the words said, not scan every turn and transcript.
/// </summary>
public sealed class CallSearchPlanTests
{
    private const int Calls = 20_000;
    private const int TurnsPerCall = 8;

    [Fact]
    public async Task Q_reads_the_trigram_indexes_of_turns_and_transcripts_on_a_realistic_table()
    {
        await using var app = await AppFactory.CreateAsync(Db.Postgres);
        await app.WithDbAsync(FillAsync);

        var plan = await app.WithDbAsync(db =>
        {
            var errors = new QueryErrors();
            var query = CallSearch.Apply(db.Calls.AsNoTracking(), new CallSearchQuery { Q = "conservatory" }, errors, TextMatch.ILike)
                .Select(CallListItem.Projection).Take(25);
            Assert.False(errors.Any);
            return ExplainAsync(db, query);
        });

        Assert.True(plan.Contains("IX_CallTurns_Text_trgm", StringComparison.Ordinal), plan);
        Assert.True(plan.Contains("IX_Calls_TranscriptText_trgm", StringComparison.Ordinal), plan);
        Assert.False(plan.Contains("Seq Scan on \"CallTurns\"", StringComparison.Ordinal), plan);
    }

    /// <summary>Words of everyday calls; "conservatory" is said in one call in a thousand.</summary>
    private static async Task FillAsync(AppDbContext db)
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        const string words = "ARRAY['hello','flat','house','garden','viewing','price','bedroom','kitchen','station','parking','deposit','rent','tuesday','morning','school','balcony']";
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "Calls" ("CallSid", "Direction", "Status", "StartedAt", "CreatedAt", "UpdatedAt", "FromNumber", "ToNumber", "TranscriptText", "TranscriptSummary")
            SELECT 'CA' || lpad(i::text, 32, '0'), 'Inbound', 'Completed', now() - i * interval '10 minutes', now(), now(),
                   '+4420' || lpad(i::text, 7, '0'), '+442000000000',
                   (SELECT string_agg(({words})[1 + floor(random() * 16)::int], ' ') FROM generate_series(1, 120 + (i % 2)))
                       || CASE WHEN i % 1000 = 0 THEN ' a conservatory at the back' ELSE '' END,
                   'Caller asked about a ' || ({words})[1 + i % 16]
            FROM generate_series(1, {Calls}) AS i
            """);
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "CallTurns" ("CallId", "Sequence", "Speaker", "Text", "StartMs", "EndMs", "Interrupted", "CreatedAt")
            SELECT c."Id", s, CASE WHEN s % 2 = 0 THEN 'Caller' ELSE 'Agent' END,
                   (SELECT string_agg(({words})[1 + floor(random() * 16)::int], ' ') FROM generate_series(1, 12 + (s % 2) + (c."Id" % 2)))
                       || CASE WHEN c."Id" % 997 = 0 AND s = 4 THEN ' the conservatory' ELSE '' END,
                   s * 4000, s * 4000 + 3500, false, now()
            FROM "Calls" c CROSS JOIN generate_series(1, {TurnsPerCall}) AS s
            """);
        // A settled table, as autovacuum leaves it: VACUUM also moves the bulk insert's GIN pending list into the
        // index proper (until then the planner prices the trigram index of the transcripts above a plain scan).
        await db.Database.ExecuteSqlRawAsync("""VACUUM ANALYZE "Calls" """);
        await db.Database.ExecuteSqlRawAsync("""VACUUM ANALYZE "CallTurns" """);
        await db.Database.ExecuteSqlRawAsync("""VACUUM ANALYZE "Leads" """);
    }

    private static async Task<string> ExplainAsync<T>(AppDbContext db, IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;
        if (command.Connection!.State != System.Data.ConnectionState.Open) await command.Connection.OpenAsync();
        var lines = new List<string>();
        await using (DbDataReader reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
