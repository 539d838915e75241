using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public void Configure(EntityTypeBuilder<Campaign> campaign)
    {
        campaign.Property(c => c.Name).HasMaxLength(Campaign.MaxName);
        campaign.Property(c => c.Goal).HasMaxLength(Calls.Call.MaxPurpose);
        campaign.Property(c => c.Instructions).HasMaxLength(Campaign.MaxInstructions);
        campaign.Property(c => c.VoicemailMessage).HasMaxLength(Campaign.MaxVoicemail);
        campaign.Property(c => c.CallerId).HasMaxLength(20);
        campaign.Property(c => c.TimeZone).HasMaxLength(64);
        // The filter is read and written whole, never queried: one JSON text column on both databases.
        campaign.Property(c => c.Leads).HasMaxLength(200_000)
            .HasConversion(
                f => JsonSerializer.Serialize(f, Json),
                s => JsonSerializer.Deserialize<CampaignLeadFilter>(s, Json) ?? new CampaignLeadFilter(),
                new ValueComparer<CampaignLeadFilter>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    f => JsonSerializer.Serialize(f, Json).GetHashCode(StringComparison.Ordinal),
                    f => JsonSerializer.Deserialize<CampaignLeadFilter>(JsonSerializer.Serialize(f, Json), Json)!));
        campaign.HasIndex(c => c.State);
        campaign.Property(c => c.BuiltIn).HasMaxLength(32);
        campaign.HasIndex(c => c.BuiltIn).IsUnique(); // NULLs are distinct on both databases: only built-ins are unique
        campaign.HasOne<Auth.User>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CampaignLeadConfiguration : IEntityTypeConfiguration<CampaignLead>
{
    public void Configure(EntityTypeBuilder<CampaignLead> row)
    {
        row.HasOne(r => r.Campaign).WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
        row.HasOne(r => r.Lead).WithMany().HasForeignKey(r => r.LeadId).OnDelete(DeleteBehavior.Cascade);
        row.HasIndex(r => new { r.CampaignId, r.LeadId }).IsUnique();
        // The scheduler's scan: a campaign's due rows in order.
        row.HasIndex(r => new { r.CampaignId, r.State, r.NextAttemptAt });
        row.HasIndex(r => r.LastCallId);
        row.Property(r => r.ClaimedBy).HasMaxLength(100);
        row.Property(r => r.LastCallSid).HasMaxLength(Calls.Call.MaxSid);
        row.Property(r => r.AnsweredBy).HasMaxLength(32);
        row.Property(r => r.ReasonCode).HasMaxLength(64);
        row.Property(r => r.Reason).HasMaxLength(CampaignLead.MaxReason);
        row.HasOne<Calls.Call>().WithMany().HasForeignKey(r => r.LastCallId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class DialPaceSlotConfiguration : IEntityTypeConfiguration<DialPaceSlot>
{
    public void Configure(EntityTypeBuilder<DialPaceSlot> slot) => slot.Property(s => s.Id).ValueGeneratedNever();
}
