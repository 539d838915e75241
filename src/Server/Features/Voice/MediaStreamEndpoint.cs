using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Infrastructure.Hosting;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// <c>WS /twilio/media-stream</c> (Twilio's bidirectional Media Streams) and <c>WS /voice/browser</c> (the web
/// app's test-call page: same protocol plus typed <c>text</c> in and <c>transcript</c> out).
/// </summary>
public static class MediaStreamEndpoint
{
    public const string TwilioPath = "/twilio/media-stream";
    public const string BrowserPath = "/voice/browser";

    public static IEndpointRouteBuilder MapMediaStreams(this IEndpointRouteBuilder app)
    {
        app.Map(TwilioPath, async (HttpContext context, IMediaStreamUpgradeValidator validator, IServiceProvider services,
            NodeDrain drain) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade required");
            if (!validator.IsValid(context.Request))
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid Twilio signature");
            using var admission = drain.TryAdmitCall();
            if (admission is null) return Draining();
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            var session = ActivatorUtilities.CreateInstance<CallSession>(services, socket);
            // The call goes on through a drain; only the drain's deadline (or a second stop signal) ends it.
            await session.RunAsync(drain.CallsEnding).ConfigureAwait(false);
            return Results.Empty;
        })
        // Public by design: Twilio cannot send a JWT. The upgrade signature and the one-time stream token guard it.
        .AllowAnonymous()
        .ExcludeFromDescription();

        app.Map(BrowserPath, async (HttpContext context, IVoiceCallStore store, IServiceProvider services,
            NodeDrain drain, CancellationToken cancellationToken) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to place a test call");
            if (!context.WebSockets.IsWebSocketRequest)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade required");
            using var admission = drain.TryAdmitCall();
            if (admission is null) return Draining();
            var call = await store.CreateBrowserCallAsync(CallsHub.UserId(context.User), cancellationToken).ConfigureAwait(false);
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            // Sent before the session owns the socket (nothing else writes to it yet).
            await socket.SendAsync(Transport.BrowserFrameSerializer.CallMessage(call.Id), System.Net.WebSockets.WebSocketMessageType.Text,
                endOfMessage: true, cancellationToken).ConfigureAwait(false);
            var session = ActivatorUtilities.CreateInstance<CallSession>(services, socket);
            session.PreAdmittedCall = call;
            await session.RunAsync(drain.CallsEnding).ConfigureAwait(false);
            return Results.Empty;
        }).ExcludeFromDescription();

        return app;
    }

    /// <summary>A draining node takes no new call; the load balancer (which sees /health/ready fail) sends the next try elsewhere.</summary>
    private static IResult Draining() => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "This server is shutting down", detail: "It takes no new calls; connect again to reach another server.");
}

/// <summary>Checks the upgrade request of a Twilio media stream (X-Twilio-Signature); Telephony supplies the real one.</summary>
public interface IMediaStreamUpgradeValidator
{
    bool IsValid(HttpRequest request);
}

/// <summary>Accepts every upgrade: the one-time stream token on <c>start</c> still guards the stream.</summary>
internal sealed class TokenOnlyUpgradeValidator : IMediaStreamUpgradeValidator
{
    public bool IsValid(HttpRequest request) => true;
}
