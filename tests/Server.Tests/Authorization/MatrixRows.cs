namespace EstateVoice.Server.Tests.Authorization;

/// <summary>
/// Every endpoint the app maps must be in exactly one of these tables, or be listed in <see cref="Public"/>;
/// <see cref="AuthorizationMatrixTests"/> fails on any endpoint that is in neither (and on rows for endpoints
/// that no longer exist).
///
/// HOW TO ADD YOUR FEATURE'S ENDPOINTS
/// 1. Add <c>Rows/&lt;Feature&gt;Rows.cs</c> with <c>public static IEnumerable&lt;MatrixRow&gt; All</c> (copy
///    <see cref="LeadsRows"/>). One row per method + route pattern as ASP.NET Core reports it
///    (<c>"GET", "/calls/{id:int}/recording"</c>); the request builder gets a <see cref="MatrixContext"/> that
///    creates records owned by the calling Agent (<c>Whose.Own</c>) or by another agent (<c>Whose.Other</c>).
/// 2. Say what each caller gets with <see cref="Expect"/>: e.g. <c>Expect.Owned(200)</c> (another agent's record
///    answers 404), <c>Expect.ManagerOrAdmin(201)</c>, <c>Expect.AdminOnly(204)</c>, or <c>new Expect(...)</c>.
/// 3. Add <c>.Concat(YourRows.All)</c> to <see cref="All"/> below.
/// 4. Endpoints that are public on purpose (webhooks that check a signature instead of a token, health) go in
///    <see cref="Public"/> with the reason; the test checks that they carry AllowAnonymous and nothing else does.
/// </summary>
public static class MatrixRows
{
    public static IEnumerable<MatrixRow> All =>
        AuthRows.All
            .Concat(PropertiesRows.All)
            .Concat(LeadsRows.All)
            .Concat(WorkspaceRows.All)
            .Concat(CallsRows.All)
            .Concat(ShowingsRows.All)
            .Concat(ReportsRows.All)
            .Concat(AdminRows.All)
            .Concat(VoiceRows.All)
            .Concat(TelephonyRows.All)
            .Concat(ElevenLabsRows.All)
            .Concat(OutgoingWebhookRows.All)
            .Concat(CampaignsRows.All)
            .Concat(OutboundRows.All)
            .Concat(NotificationsRows.All);

    /// <summary>Endpoints reachable without a token: "METHOD route-pattern" → why.</summary>
    public static readonly IReadOnlyDictionary<string, string> Public = new Dictionary<string, string>
    {
        ["GET /twilio/media-stream"] = "Twilio cannot send a bearer token: the upgrade carries X-Twilio-Signature and start carries a one-time stream token",
        ["POST /twilio/webhook"] = "Twilio's voice webhook: X-Twilio-Signature instead of a token",
        ["POST /twilio/status"] = "Twilio's status callback: X-Twilio-Signature instead of a token",
        ["POST /twilio/voice/dial-status"] = "A transfer's Dial action: X-Twilio-Signature over the URL with call_id instead of a token",
        ["POST /twilio/voice/amd"] = "A campaign call's answering-machine result: X-Twilio-Signature instead of a token",
        ["POST /twilio/voice/whisper"] = "A warm transfer's whisper for the person answering: X-Twilio-Signature instead of a token",
        ["POST /leads/intake"] = "a website's lead form has no user: it sends a per-site integration key (X-Integration-Key) instead, checked before anything is written",
        ["POST /auth/login"] = "signing in is how a token is obtained",
        ["POST /webhooks/elevenlabs"] = "ElevenLabs cannot send a bearer token: every delivery is HMAC-signed (ElevenLabs-Signature) and checked before anything is read",
        ["GET /health"] = "database and voice-provider status for operators and load balancers",
        ["GET /health/live"] = "liveness probe: answers while the process serves HTTP, checks nothing",
        ["GET /health/ready"] = "readiness probe: 503 while the node drains or its database is unreachable",
        ["GET /metrics"] = "Prometheus scrape",
        ["GET /openapi/{documentName}.json"] = "the API description",
        ["GET /docs/{documentName?}"] = "interactive API docs",
        ["GET /docs/scalar.js"] = "interactive API docs assets",
        ["GET /docs/scalar.aspnetcore.js"] = "interactive API docs assets",
        ["GET /docs/favicon.svg"] = "interactive API docs assets",
    };
}
