using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Outbound;

/// <summary>Why a dial is being considered: the gate's rules are the same for all, the records they leave differ.</summary>
public enum DialKind { Single, Campaign, SpeedToLead }

/// <param name="Lead">The lead as read just before the dial (consent, do-not-call, time zone, phone).</param>
/// <param name="CampaignId">The campaign dialing, when <paramref name="Kind"/> is <see cref="DialKind.Campaign"/>.</param>
public sealed record DialGateRequest(Lead Lead, DialKind Kind, int? CampaignId = null);

/// <summary>The gate's answer. A refusal carries a stable code (for filters and reports) and a sentence a person reads;
/// <paramref name="RetryAt"/> is the earliest moment the same lead could pass (the calling window's next opening),
/// null when waiting cannot help (no consent, do-not-call).</summary>
public sealed record DialGateDecision(bool Allowed, string? Code = null, string? Reason = null, DateTimeOffset? RetryAt = null)
{
    public static readonly DialGateDecision Allow = new(true);
    public static DialGateDecision Refuse(string code, string reason, DateTimeOffset? retryAt = null) => new(false, code, reason, retryAt);
}

/// <summary>
/// Asked before every outbound dial — single calls, campaigns and speed-to-lead alike — so the rules a US team must
/// follow (consent, do-not-call, calling hours, attempt caps) live in one place.
/// </summary>
public interface IDialGate
{
    ValueTask<DialGateDecision> CheckAsync(DialGateRequest request, CancellationToken cancellationToken);

    /// <summary>Many leads at once (a campaign's batch), decisions in the request order; a gate without a batch form asks one by one.</summary>
    async Task<IReadOnlyList<DialGateDecision>> CheckManyAsync(IReadOnlyList<DialGateRequest> requests, CancellationToken cancellationToken)
    {
        var decisions = new DialGateDecision[requests.Count];
        for (var i = 0; i < requests.Count; i++) decisions[i] = await CheckAsync(requests[i], cancellationToken);
        return decisions;
    }
}

/// <summary>
/// Told when a number goes on the do-not-call list (a caller said "stop calling me", a user marked the lead), so
/// whoever queues dials cancels every attempt to that number at once instead of at dial time.
/// </summary>
public interface INumberOptedOutListener
{
    Task NumberOptedOutAsync(string phoneE164, CancellationToken cancellationToken);
}
