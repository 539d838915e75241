using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Calls;

internal sealed class CallConfiguration : IEntityTypeConfiguration<Call>
{
    public void Configure(EntityTypeBuilder<Call> call)
    {
        call.Property(c => c.CallSid).HasMaxLength(Call.MaxSid);
        call.HasIndex(c => c.CallSid).IsUnique();
        call.Property(c => c.ParentCallSid).HasMaxLength(Call.MaxSid);
        call.HasIndex(c => c.ParentCallSid);
        call.Property(c => c.ConversationId).HasMaxLength(128);
        call.HasIndex(c => c.ConversationId);
        call.Property(c => c.FromNumber).HasMaxLength(Call.MaxPhoneNumber);
        call.Property(c => c.ToNumber).HasMaxLength(Call.MaxPhoneNumber);
        call.Property(c => c.Purpose).HasMaxLength(Call.MaxPurpose);
        call.Property(c => c.RecordingUrl).HasMaxLength(2048);
        call.Property(c => c.RecordingBlobName).HasMaxLength(512);
        call.Property(c => c.RecordingStatus).HasMaxLength(16);
        call.Property(c => c.RecordingStatusReason).HasMaxLength(200);
        call.Property(c => c.CallerUsername).HasMaxLength(200);
        call.Property(c => c.ReceptionStatus).HasMaxLength(32);
        call.Property(c => c.FailureReason).HasMaxLength(500);
        call.Property(c => c.StreamTokenHash).HasMaxLength(64);
        call.Property(c => c.LeaseOwner).HasMaxLength(100);
        call.Property(c => c.LastDialCallSid).HasMaxLength(64);
        call.HasOne(c => c.Lead).WithMany().HasForeignKey(c => c.LeadId).OnDelete(DeleteBehavior.SetNull);
        call.HasOne(c => c.Agent).WithMany().HasForeignKey(c => c.AgentId).OnDelete(DeleteBehavior.SetNull);
        call.HasMany(c => c.Turns).WithOne(t => t.Call).HasForeignKey(t => t.CallId).OnDelete(DeleteBehavior.Cascade);
        call.HasIndex(c => c.StartedAt);
        call.HasIndex(c => new { c.Status, c.StartedAt });
        call.HasIndex(c => new { c.AgentId, c.StartedAt });
        call.HasIndex(c => new { c.LeadId, c.StartedAt });
        call.HasIndex(c => c.Direction);
        call.HasIndex(c => c.Outcome);
        call.HasOne<Outbound.Campaigns.Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.SetNull);
        // Trigram indexes on "Calls"."TranscriptText" and "CallTurns"."Text" (PostgreSQL) are hand-written in the migration.
    }
}

internal sealed class CallTurnConfiguration : IEntityTypeConfiguration<CallTurn>
{
    public void Configure(EntityTypeBuilder<CallTurn> turn)
    {
        turn.HasIndex(t => new { t.CallId, t.Sequence }).IsUnique();
        turn.Property(t => t.Text).HasMaxLength(8000);
    }
}
