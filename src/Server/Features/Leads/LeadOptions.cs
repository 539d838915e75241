namespace EstateVoice.Server.Features.Leads;

/// <summary>Lead intake settings: how bare phone numbers are read and how fast a web form may post leads.</summary>
public sealed class LeadOptions
{
    /// <summary><c>DEFAULT_PHONE_REGION</c>: ISO 3166 region for numbers written without a country code.</summary>
    public string DefaultPhoneRegion { get; set; } = "US";

    /// <summary><c>LEAD_INTAKE_RATE_LIMIT_PER_MINUTE</c>: web-form posts per integration key per minute.</summary>
    public int IntakeRateLimitPerMinute { get; set; } = 60;
}
