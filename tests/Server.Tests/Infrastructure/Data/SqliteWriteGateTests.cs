using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Infrastructure.Data;

/// <summary>
/// Every way out of a write gives SQLite's write turn back, EF and hand-written ADO.NET writers share one queue, and
/// no writer waits unbounded: past the limit a request gets 503 + Retry-After, and a cancelled request stops waiting.
/// </summary>
public sealed class SqliteWriteGateTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private static async Task<AppFactory> CreateAppAsync(Dictionary<string, string?>? settings = null)
    {
        var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(settings));
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("CREATE TABLE scratch (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)"));
        return app;
    }

    private static Task<List<string>> WritersAsync(AppFactory app) =>
        app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT writer AS Value FROM scratch ORDER BY id").ToListAsync());

    private static Task<int> LoginAttemptsAsync(AppFactory app, string email) =>
        app.WithDbAsync(db => db.Set<LoginAttempts>().Where(a => a.Key == LoginThrottle.KeyFor(LoginService.NormalizeEmail(email)))
            .Select(a => a.Count).SingleOrDefaultAsync()); // 0: no attempt was counted

    [Fact]
    public async Task Writes_still_land_after_failed_queries_and_a_duplicate_delivery()
    {
        await using var app = await CreateAppAsync();
        var user = await app.CreateUserAsync(UserRole.Admin);
        var client = await app.ClientForAsync(user);
        // The reported sequence: queries that fail inside EF (here the cents converter overflowing) and then a
        // duplicate delivery, whose transaction ended without a commit.
        for (var i = 0; i < 16; i++) await client.GetAsync("/properties/?max_price=99999999999999999999");
        var body = Payloads.RealTranscription(app.Now(), "conv_after_failures", "CA-after-failures");
        Assert.Equal("processed", (await client.PostSignedJsonAsync(app, body)).GetProperty("status").GetString());
        Assert.Equal("duplicate", (await client.PostSignedJsonAsync(app, body)).GetProperty("status").GetString());

        // Writers on several pooled contexts at once (one of them may be the context the failures left behind).
        var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.CreateUserAsync(UserRole.Agent))).WaitAsync(Soon);
        var logins = users.Select(u => app.CreateClient().PostAsJsonAsync("/auth/login", new { email = u.Email, password = "wrong" }));
        var responses = await Task.WhenAll(logins).WaitAsync(Soon);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        foreach (var u in users) Assert.Equal(1, await LoginAttemptsAsync(app, u.Email));
        var other = Payloads.RealTranscription(app.Now(), "conv_later", "CA-later");
        Assert.Equal("processed", (await client.PostSignedJsonAsync(app, other).WaitAsync(Soon)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_rolls_back_and_gives_the_turn_back()
    {
        await using var app = await CreateAppAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // An extra open keeps EF's connection open after the transaction (as a query that failed mid-way leaves it):
        // the turn cannot depend on the connection closing.
        await db.Database.OpenConnectionAsync();
        await using (await db.Database.BeginTransactionAsync())
            await db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('abandoned')");

        await app.WithDbAsync(other => other.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('next')")).WaitAsync(Soon);
        await using (var again = await db.Database.BeginTransactionAsync().WaitAsync(Soon))
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('same context')");
            await again.CommitAsync();
        }
        Assert.Equal(["next", "same context"], await WritersAsync(app));
    }

    [Fact]
    public async Task A_raw_ADO_NET_transaction_and_an_EF_writer_queue_behind_each_other()
    {
        await using var app = await CreateAppAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var raw = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Raw first: the EF writer (whose busy retries would give up after 1 s) waits for the raw transaction's end.
        var turn = await SqliteWriteGate.EnterForRawWriteAsync(raw, "test raw writer", CancellationToken.None);
        Assert.NotNull(turn);
        await raw.Database.OpenConnectionAsync();
        var connection = raw.Database.GetDbConnection();
        var transaction = await connection.BeginTransactionAsync();
        await using (var insert = connection.CreateCommand())
        {
            (insert.Transaction, insert.CommandText) = (transaction, "INSERT INTO scratch (writer) VALUES ('raw')");
            await insert.ExecuteNonQueryAsync();
        }
        var ef = app.WithDbAsync(db =>
        {
            db.Database.SetCommandTimeout(1);
            return db.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('ef')");
        });
        await Task.Delay(1500);
        Assert.False(ef.IsCompleted, "the EF writer ran while the raw transaction held the turn");
        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        await turn.DisposeAsync();
        Assert.Equal(1, await ef.WaitAsync(Soon));

        // EF first: a raw writer waits for the EF transaction.
        await using (var efTransaction = await raw.Database.BeginTransactionAsync())
        {
            await raw.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('ef transaction')");
            var waiting = app.WithDbAsync(async db => (await SqliteWriteGate.EnterForRawWriteAsync(db, "second raw writer", CancellationToken.None))!);
            await Task.Delay(300);
            Assert.False(waiting.IsCompleted, "the raw writer got a turn while an EF transaction held it");
            await efTransaction.CommitAsync();
            await (await waiting.WaitAsync(Soon)).DisposeAsync();
        }
        Assert.Equal(["raw", "ef", "ef transaction"], await WritersAsync(app));
    }

    [Fact]
    public async Task A_write_that_cannot_get_its_turn_in_time_answers_503_with_Retry_After()
    {
        await using var app = await CreateAppAsync(new() { ["SQLITE_WRITE_WAIT_SECONDS"] = "1" });
        var logs = CapturedLogs.AttachTo(app);
        var user = await app.CreateUserAsync(UserRole.Agent);
        await using var scope = app.Services.CreateAsyncScope();
        var holder = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var held = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('holder')");

        var clock = Stopwatch.StartNew();
        var response = await app.CreateClient().PostAsJsonAsync("/auth/login", new { email = user.Email, password = "wrong" }).WaitAsync(Soon);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, logs.Count("sqlite_write_gate_timeout"));
        await held.RollbackAsync();
        Assert.Equal(0, await LoginAttemptsAsync(app, user.Email));
    }

    [Fact]
    public async Task A_Twilio_call_whose_row_cannot_get_its_write_turn_is_answered_503_so_Twilio_retries_not_500()
    {
        // Found by 150 calls dialling at once: the insert's gate timeout came back as a DbUpdateException, which was
        // taken for "a retry's row won the race", and the re-read of a row nobody wrote threw (500, call lost).
        const string authToken = "twilio-test-auth-token";
        await using var app = await CreateAppAsync(new() { ["SQLITE_WRITE_WAIT_SECONDS"] = "1", ["TWILIO_AUTH_TOKEN"] = authToken, ["PUBLIC_BASE_URL"] = Features.Telephony.TwilioTestClient.PublicBaseUrl });
        await using var scope = app.Services.CreateAsyncScope();
        var holder = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var held = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('holder')");

        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var response = await Features.Telephony.TwilioTestClient.PostSignedAsync(app.CreateClient(), "/twilio/webhook",
            Features.Telephony.TwilioTestClient.VoiceRequest(callSid), authToken).WaitAsync(Soon);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        await held.RollbackAsync();
        Assert.Equal(0, await app.WithDbAsync(db => db.Calls.CountAsync(c => c.CallSid == callSid)));
    }

    [Fact]
    public async Task A_cancelled_webhook_delivery_stops_waiting_for_its_turn_and_writes_nothing()
    {
        await using var app = await CreateAppAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var holder = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var held = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO scratch (writer) VALUES ('holder')");

        using var cancel = new CancellationTokenSource();
        var body = System.Text.Encoding.UTF8.GetBytes(Payloads.RealTranscription(app.Now(), "conv_cancelled", "CA-cancelled"));
        var request = ElevenLabsWebhook.Request(body, Server.Features.Webhooks.ElevenLabs.ElevenLabsSignatureVerifier.Header(ElevenLabsWebhook.Secret, app.Now(), body));
        var delivery = app.CreateClient().SendAsync(request, cancel.Token);
        await Task.Delay(700);
        Assert.False(delivery.IsCompleted, "the delivery did not wait for the write turn");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
        await Task.Delay(200); // the server side notices the abort

        await held.CommitAsync();
        await held.DisposeAsync();
        await Task.Delay(500); // a delivery still waiting would write now
        Assert.Equal(0, await app.WithDbAsync(db => db.ElevenLabsEventLogs.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Calls.CountAsync()));
    }
}
