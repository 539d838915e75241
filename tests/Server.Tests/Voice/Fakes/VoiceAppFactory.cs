using System.Net;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Tools;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EstateVoice.Server.Tests.Voice.Fakes;

/// <summary>
/// The real server on Kestrel at 127.0.0.1:0 with in-memory stores and scripted providers (each test class makes its
/// own, so nothing is shared). Providers left null keep the product's offline defaults (espeak-ng, local agent).
/// </summary>
public sealed class VoiceAppFactory : WebApplicationFactory<Program>
{
    public ScriptedSpeechToText Stt { get; init; } = new();
    public ITextToSpeech? Tts { get; init; }
    public IChatClient? Chat { get; init; }
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("estate-voice-test-").FullName;

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["JWT_SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789",
        ["SEED_DEMO_DATA"] = "false",
        ["DATABASE_URL"] = $"sqlite:///{Path.Combine(Path.GetTempPath(), $"estate-voice-{Guid.NewGuid():N}.db")}",
        ["Voice:SilenceMs"] = "300",
        ["Voice:BackchannelMinMs"] = "600",
        ["Voice:IdlePromptSeconds"] = "60",
        ["Voice:IdleHangupSeconds"] = "60",
    };
    public RecordingCallControl CallControl { get; } = new();

    public VoiceAppFactory()
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATA_DIR", _dataDirectory);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ISpeechToText>();
            services.AddSingleton<ISpeechToText>(Stt);
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
        });
    }

    public InMemoryVoiceCallStore Calls => (InMemoryVoiceCallStore)Services.GetRequiredService<IVoiceCallStore>();
    public InMemoryAgentDataStore Data => (InMemoryAgentDataStore)Services.GetRequiredService<IAgentDataStore>();

    public Uri WebSocketUri(string path)
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + path);
    }

    /// <summary>Registers a call like the Twilio webhook would and opens its media stream.</summary>
    public async Task<(FakeTwilioCaller Caller, int CallId)> CallAsync(string from = "+15125550142")
    {
        var uri = WebSocketUri(MediaStreamEndpoint.TwilioPath);
        var (callId, token) = Calls.RegisterCall("CA" + Guid.NewGuid().ToString("N"), from);
        var caller = new FakeTwilioCaller();
        await caller.ConnectAsync(uri);
        await caller.StartAsync(callId, token);
        return (caller, callId);
    }
}

public sealed class RecordingCallControl : ICallControl
{
    public List<(int CallId, string Reason)> Transfers { get; } = [];

    public Task<bool> TransferAsync(VoiceCall call, string reason, CancellationToken cancellationToken)
    {
        lock (Transfers) Transfers.Add((call.Id, reason));
        return Task.FromResult(true);
    }
}
