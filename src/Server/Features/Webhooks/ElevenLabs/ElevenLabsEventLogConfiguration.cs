using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

internal sealed class ElevenLabsEventLogConfiguration : IEntityTypeConfiguration<ElevenLabsEventLog>
{
    public void Configure(EntityTypeBuilder<ElevenLabsEventLog> log)
    {
        log.Property(e => e.CallSid).HasMaxLength(128);
        log.Property(e => e.EventType).HasMaxLength(64);
        log.Property(e => e.ConversationId).HasMaxLength(128);
        log.Property(e => e.LastError).HasMaxLength(2000);
        log.HasIndex(e => new { e.CallSid, e.EventType, e.EventTimestamp }).IsUnique();
        log.HasIndex(e => new { e.ProcessingState, e.NextAttemptAt });
        log.HasIndex(e => e.ReceivedAt);
    }
}
