using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Features.Showings;

public enum ShowingStatus { Scheduled, Completed, Canceled, NoShow }

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
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
