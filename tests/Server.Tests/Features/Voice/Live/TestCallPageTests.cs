using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Voice.Live;

/// <summary>What the test-call page learns from the server: which saved call it is, and which engines answer it.</summary>
public sealed class TestCallPageTests
{
    [Fact]
    public async Task The_first_message_of_a_test_call_names_its_saved_call()
    {
        await using var app = new VoiceAppFactory();
        var user = await app.CreateUserAsync(UserRole.Agent);
        var token = await app.AccessTokenAsync(user);
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        await socket.ConnectAsync(new Uri(app.WebSocketUri(MediaStreamEndpoint.BrowserPath) + "?access_token=" + Uri.EscapeDataString(token)), timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        using var first = JsonDocument.Parse(buffer.AsMemory(0, received.Count));

        var callId = await app.WithDbAsync(db => db.Calls.Select(c => c.Id).SingleAsync());
        Assert.Equal("call", first.RootElement.GetProperty("event").GetString());
        Assert.Equal(callId, first.RootElement.GetProperty("call_id").GetInt32());
        Assert.True(await app.WithDbAsync(db => db.Calls.Select(c => c.IsTest).SingleAsync()));
        socket.Abort();
    }

    [Fact]
    public async Task Engines_name_the_providers_in_use()
    {
        await using var app = new VoiceAppFactory();
        var user = await app.CreateUserAsync(UserRole.Agent);
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.AccessTokenAsync(user));

        var engines = await http.GetFromJsonAsync<JsonElement>("/voice/engines");

        // No cloud keys in tests: the offline engines.
        Assert.Equal(("local", "espeak", "local"),
            (engines.GetProperty("speech_to_text").GetString(), engines.GetProperty("text_to_speech").GetString(), engines.GetProperty("agent").GetString()));
    }
}
