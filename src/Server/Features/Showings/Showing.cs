using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Features.Showings;

/// <summary>
/// Where a showing is in its life (<see cref="ShowingLifecycle"/> says which moves are allowed). Rescheduled is a
/// showing moved to another time: it holds its new slot like a scheduled one.
/// </summary>
public enum ShowingStatus { Scheduled, Confirmed, Completed, Canceled, NoShow, Rescheduled }

public enum ShowingSource { VoiceAgent, Staff }

public sealed class Showing
{
    public int Id { get; set; }
    public int LeadId { get; set; }
    public Lead? Lead { get; set; }
    public int PropertyId { get; set; }
    public Property? Property { get; set; }
    public int? AgentId { get; set; }
    public User? Agent { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public ShowingStatus Status { get; set; }
    public ShowingSource Source { get; set; }
    public string? Notes { get; set; }
    /// <summary>The call on which the voice agent booked it, if any.</summary>
    public int? CallId { get; set; }
    public int? CreatedByUserId { get; set; }
    /// <summary>The invite's SEQUENCE (RFC 5545): bumped whenever the time or the status attendees see changes.</summary>
    public int Sequence { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    /// <summary>The status a canceled showing had (scheduled, confirmed or rescheduled): restoring it goes back there.</summary>
    public ShowingStatus? StatusBeforeCancel { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
