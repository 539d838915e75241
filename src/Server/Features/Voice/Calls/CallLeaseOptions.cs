using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>
/// Section <c>CallLeases</c>: an in-progress voice call carries a lease held by the node running its session, renewed
/// while the session runs. A node that dies (crash, kill -9, lost VM) stops renewing; a sweeper on any node then
/// finalises the call, so no call stays "in progress" for ever.
/// </summary>
public sealed class CallLeaseOptions
{
    public const string Section = "CallLeases";

    /// <summary>This process's name in <c>lease_owner</c>; defaults to host name and process id (unique per process).</summary>
    [MaxLength(100)] public string NodeId { get; set; } = "";

    /// <summary>How long a lease lasts without renewal.</summary>
    [Range(2, 3600)] public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often a running session renews its lease (well under <see cref="LeaseSeconds"/>).</summary>
    [Range(1, 600)] public int RenewSeconds { get; set; } = 10;

    /// <summary>How often each node's sweeper looks for expired leases.</summary>
    [Range(1, 600)] public int SweepSeconds { get; set; } = 10;

    /// <summary>
    /// Calls streamed before leases existed (or by a node without them) carry none: such a call counts as lost once
    /// neither its stream start nor any turn is this recent. Generous, since a live one cannot prove it is alive.
    /// </summary>
    [Range(1, 1440)] public int LeaselessIdleMinutes { get; set; } = 15;

    public string EffectiveNodeId =>
        string.IsNullOrWhiteSpace(NodeId) ? $"{Environment.MachineName}-{Environment.ProcessId}" : NodeId.Trim();

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan RenewInterval => TimeSpan.FromSeconds(RenewSeconds);
    public TimeSpan SweepInterval => TimeSpan.FromSeconds(SweepSeconds);
    public TimeSpan LeaselessIdle => TimeSpan.FromMinutes(LeaselessIdleMinutes);
}
