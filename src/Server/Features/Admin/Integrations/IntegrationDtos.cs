namespace EstateVoice.Server.Features.Admin.Integrations;

/// <summary>One outside service as the admin page shows it: never a secret, only where it points and whether keys are set.</summary>
/// <param name="Mode">e.g. "azure" / "local" for storage; null when there is only one way.</param>
/// <param name="Target">Host or base URL the server talks to (no credentials).</param>
/// <param name="Details">Non-secret facts: "API key set", "deployment gpt-4.1", "from noreply@x".</param>
/// <param name="EnvVars">What to set to configure it.</param>
public sealed record IntegrationStatus(
    string Name, string Label, bool Configured, string? Mode, string? Target, IReadOnlyList<string> Details, IReadOnlyList<string> EnvVars);

/// <param name="Status">The HTTP status the service answered, when it answered over HTTP.</param>
public sealed record IntegrationTestResult(string Name, bool Ok, int? Status, string Message, long ElapsedMs);
