using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// The real server on Kestrel at 127.0.0.1:0 over a database of its own (a temp SQLite file, or a fresh database on
/// the test run's PostgreSQL) with scripted providers; each test makes its own, so nothing is shared. The clock is
/// the real one: the voice loop's pacing and silence timers run on it. Providers left null keep the product's
/// offline defaults (espeak-ng, local agent).
/// </summary>
public sealed class VoiceAppFactory : WebApplicationFactory<Program>
{
    public ScriptedSpeechToText Stt { get; init; } = new();
    /// <summary>Keep the speech-to-text the configuration chose (Deepgram pointed at a fake) instead of <see cref="Stt"/>.</summary>
    public bool UseConfiguredSpeechToText { get; init; }
    public ITextToSpeech? Tts { get; init; }
    public IChatClient? Chat { get; init; }
    /// <summary>Last word on the services (e.g. a slow data store behind the agent's tools).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
    public Db Db => _app.Db;
    private readonly TestApp _app;

    /// <summary>Applied over <see cref="TestApp.Configure"/>'s settings (database, secrets, no demo data).</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Voice:SilenceMs"] = "300",
        ["Voice:BackchannelMinMs"] = "600",
        ["Voice:IdlePromptSeconds"] = "60",
        ["Voice:IdleHangupSeconds"] = "60",
        // Recording has its own tests (Features/Voice/Recording): others keep their greetings and files as they were.
        ["RECORDING_MODE"] = "off",
    };
    public RecordingCallControl CallControl { get; } = new();

    /// <summary>On SQLite; <see cref="CreateAsync"/> for a choice of database.</summary>
    public VoiceAppFactory() : this(TestApp.Sqlite())
    {
    }

    private VoiceAppFactory(TestApp app)
    {
        _app = app;
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    public static async Task<VoiceAppFactory> CreateAsync(Db db, ScriptedSpeechToText? stt = null, ITextToSpeech? tts = null, IChatClient? chat = null) =>
        new(await TestApp.CreateAsync(db)) { Stt = stt ?? new ScriptedSpeechToText(), Tts = tts, Chat = chat };

    /// <summary>One node of several: the app on a PostgreSQL database other nodes share (<see cref="PostgresServer.CreateDatabaseAsync"/>).</summary>
    public static VoiceAppFactory OnPostgres(string connectionString, ScriptedSpeechToText? stt = null, ITextToSpeech? tts = null) =>
        new(TestApp.On(Db.Postgres, connectionString)) { Stt = stt ?? new ScriptedSpeechToText(), Tts = tts };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        _app.Configure(builder);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            if (!UseConfiguredSpeechToText)
            {
                services.RemoveAll<ISpeechToText>();
                services.AddSingleton<ISpeechToText>(Stt);
            }
            if (Tts is not null)
            {
                services.RemoveAllKeyed<ITextToSpeech>(VoiceExtensions.ProviderKey);
                services.AddKeyedSingleton(VoiceExtensions.ProviderKey, Tts);
            }
            if (Chat is not null)
            {
                services.RemoveAll<IChatClient>();
                services.AddSingleton(Chat);
            }
            services.RemoveAll<ICallControl>();
            services.AddSingleton<ICallControl>(CallControl);
            // The fake caller does not sign its upgrade (Telephony's signature check has its own tests); the stream token still applies.
            services.RemoveAll<IMediaStreamUpgradeValidator>();
            services.AddSingleton<IMediaStreamUpgradeValidator, TokenOnlyUpgradeValidator>();
            ConfigureServices?.Invoke(services);
        });
    }

    public Uri BaseUri
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }

    public Uri WebSocketUri(string path) =>
        new(BaseUri.ToString().TrimEnd('/').Replace("http://", "ws://", StringComparison.Ordinal) + path);

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task WithDbAsync(Func<AppDbContext, Task> work) => WithDbAsync(async db => { await work(db); return true; });

    /// <summary>What the Twilio webhook does: creates the call row and returns the stream token it hands to Twilio.</summary>
    public Task<(int CallId, string StreamToken)> RegisterCallAsync(string from = "+15125550142", int? agentId = null, string? callSid = null) =>
        WithDbAsync(async db =>
        {
            var token = StreamTokens.Create();
            var now = DateTimeOffset.UtcNow;
            var call = new Call
            {
                CallSid = callSid ?? "CA" + Guid.NewGuid().ToString("N"), Direction = CallDirection.Inbound, FromNumber = from,
                ToNumber = "+15125550000", Status = CallStatus.Ringing, StartedAt = now, StreamTokenHash = StreamTokens.Hash(token),
                AgentId = agentId, CreatedAt = now, UpdatedAt = now,
            };
            db.Calls.Add(call);
            await db.SaveChangesAsync();
            return (call.Id, token);
        });

    public Task<User> CreateUserAsync(UserRole role) => WithDbAsync(async db =>
    {
        var user = TestApp.NewUser(role, DateTimeOffset.UtcNow);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    });

    /// <summary>A JWT for <paramref name="user"/> from the real login endpoint.</summary>
    public async Task<string> AccessTokenAsync(User user)
    {
        using var http = new HttpClient { BaseAddress = BaseUri };
        var response = await http.PostAsJsonAsync("/auth/login", new { email = user.Email, password = TestApp.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>The call row with its turns in order (a fresh read each time).</summary>
    public Task<Call> CallRowAsync(int callId) =>
        WithDbAsync(db => db.Calls.AsNoTracking().Include(c => c.Turns.OrderBy(t => t.Sequence)).SingleAsync(c => c.Id == callId));

    public Task<bool> CallEndedAsync(int callId) => WithDbAsync(db => db.Calls.AnyAsync(c => c.Id == callId && c.EndedAt != null));

    public Task<int> TurnCountAsync(int callId) => WithDbAsync(db => db.CallTurns.CountAsync(t => t.CallId == callId));

    /// <summary>Registers a call like the Twilio webhook would and opens its media stream.</summary>
    public async Task<(SimulatedCall Caller, int CallId)> CallAsync(string from = "+15125550142", int? agentId = null)
    {
        var uri = WebSocketUri(MediaStreamEndpoint.TwilioPath);
        var (callId, token) = await RegisterCallAsync(from, agentId);
        var caller = new SimulatedCall();
        await caller.ConnectAsync(uri);
        await caller.StartAsync(callId, token);
        return (caller, callId);
    }

    /// <summary>A context on the test's database outside the app: still readable once the app has stopped and disposed its services.</summary>
    public AppDbContext OpenDatabase() => _app.OpenDatabase();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _app.Delete();
    }
}

public sealed class RecordingCallControl : ICallControl
{
    public List<(int CallId, string Reason)> Transfers { get; } = [];
    public List<string?> Whispers { get; } = [];

    /// <summary>When set, Twilio refuses the redirect with this reason (the agent then carries on).</summary>
    public string? RefuseWith { get; set; }

    /// <summary>When set, a transfer (the Twilio redirect) takes this long or until cancelled: a call can end inside it.</summary>
    public TimeSpan Delay { get; set; }

    public async Task<TransferResult> TransferAsync(VoiceCall call, string reason, string? whisper, CancellationToken cancellationToken)
    {
        lock (Transfers)
        {
            Transfers.Add((call.Id, reason));
            Whispers.Add(whisper);
        }
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        return RefuseWith is { } refusal ? TransferResult.Refused(refusal) : TransferResult.Dialing;
    }
}
