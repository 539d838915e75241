using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>How every node's campaign scheduler polls, claims and paces (env <c>OUTBOUND_CALLS_PER_SECOND</c>, <c>Campaigns__*</c>).</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Twilio's calls-per-second limit for the account, shared by all nodes through one database row.</summary>
    [Range(0.01, 100)] public double CallsPerSecond { get; set; } = 1;

    /// <summary>How often a node looks for due leads.</summary>
    [Range(50, 60_000)] public int PollMilliseconds { get; set; } = 1000;

    /// <summary>How long a node's claim on a lead lasts before it is presumed dead and another node takes the lead over.</summary>
    [Range(5, 3600)] public int ClaimSeconds { get; set; } = 120;

    /// <summary>A placed call that never reports a final status frees its lead after this long (a lost status callback).</summary>
    [Range(60, 86_400)] public int CallTimeoutSeconds { get; set; } = 3 * 3600;

    /// <summary>Leads one node claims per campaign per pass: small, so nodes share the work and a dead node strands few.</summary>
    [Range(1, 500)] public int ClaimBatch { get; set; } = 10;

    /// <summary>Off for nodes that must not dial (tests that drive the scheduler by hand).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    public TimeSpan DialInterval => TimeSpan.FromSeconds(1 / CallsPerSecond);
    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(PollMilliseconds);
    public TimeSpan Claim => TimeSpan.FromSeconds(ClaimSeconds);
}
