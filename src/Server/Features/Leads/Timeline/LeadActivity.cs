using EstateVoice.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Leads.Timeline;

/// <summary>What happened to a lead that leaves no other record: it was created, its status moved, it was (un)assigned.</summary>
public enum LeadActivityKind { Created, StatusChanged, Assigned }

/// <summary>
/// One change to a lead, for its timeline. Written only by <see cref="LeadActivityRecorder"/> as the change is saved,
/// so every writer (the CRM, imports, the voice agent, bookings) is recorded the same way.
/// </summary>
public sealed class LeadActivity
{
    public long Id { get; set; }
    public int LeadId { get; set; }
    public Lead? Lead { get; set; }
    public LeadActivityKind Kind { get; set; }
    public LeadStatus? FromStatus { get; set; }
    public LeadStatus? ToStatus { get; set; }
    public int? FromAgentId { get; set; }
    public int? ToAgentId { get; set; }
    /// <summary>The signed-in user who made the change; null for the voice agent, imports run as jobs and other system work.</summary>
    public int? ActorUserId { get; set; }
    public User? Actor { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class LeadActivityConfiguration : IEntityTypeConfiguration<LeadActivity>
{
    public void Configure(EntityTypeBuilder<LeadActivity> activity)
    {
        activity.ToTable("LeadActivities");
        activity.HasOne(a => a.Lead).WithMany().HasForeignKey(a => a.LeadId).OnDelete(DeleteBehavior.Cascade);
        activity.HasOne(a => a.Actor).WithMany().HasForeignKey(a => a.ActorUserId).OnDelete(DeleteBehavior.SetNull);
        activity.HasIndex(a => new { a.LeadId, a.At });
    }
}
