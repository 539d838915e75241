using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Outbound;

/// <summary>The rules the product enforced before the full gate: the lead's do-not-call flag and consent on record.</summary>
public sealed class ConsentDialGate : IDialGate
{
    public ValueTask<DialGateDecision> CheckAsync(DialGateRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Check(request.Lead));

    public static DialGateDecision Check(Lead lead)
    {
        if (lead.DoNotCall) return DialGateDecision.Refuse(DialRefusals.DoNotCall, "The lead asked not to be called (do-not-call).");
        if (!lead.ConsentToCall) return DialGateDecision.Refuse(DialRefusals.NoConsent, "The lead has not consented to be called.");
        return DialGateDecision.Allow;
    }
}

/// <summary>Stable refusal codes, stored with skipped attempts and shown in the web app.</summary>
public static class DialRefusals
{
    public const string DoNotCall = "do_not_call";
    public const string NoConsent = "no_consent";
    public const string OutsideCallingHours = "outside_calling_hours";
    public const string AttemptCap = "attempt_cap";
    public const string NationalRegistry = "national_dnc_registry";
    public const string QuietDay = "quiet_day";

    /// <summary>The refusals that are a person's wish not to be called (their own, or through the national registry).</summary>
    public static bool IsDoNotCall(string? code) => code is DoNotCall or NationalRegistry;
}
