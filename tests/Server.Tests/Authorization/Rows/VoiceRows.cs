using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>
/// Voice: the browser test call and the live-events hub need a signed-in user of any role (a plain GET without a
/// WebSocket upgrade answers 400; which calls' events an Agent receives is CallsHubTests' business).
/// </summary>
public static class VoiceRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/voice/browser", _ => Task.FromResult(Get("/voice/browser")), Expect.Everyone(400)),
        new("GET", "/voice/engines", _ => Task.FromResult(Get("/voice/engines")), Expect.Everyone(200)),
        new("GET", "/hubs/calls", _ => Task.FromResult(Get("/hubs/calls")), Expect.Everyone(400), ProtocolOwnsErrors: true),
        new("GET", "/hubs/calls/negotiate", _ => Task.FromResult(Post("/hubs/calls/negotiate?negotiateVersion=1")), Expect.Everyone(200)),
    ];
}
