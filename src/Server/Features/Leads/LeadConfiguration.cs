using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Leads;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        lead.Property(l => l.Name).HasMaxLength(200);
        lead.Property(l => l.Phone).HasMaxLength(20);
        lead.Property(l => l.Email).HasMaxLength(254);
        lead.Property(l => l.Timeline).HasMaxLength(100);
        lead.Property(l => l.Notes).HasMaxLength(4000);
        lead.Property(l => l.TimeZone).HasMaxLength(64);
        lead.Property(l => l.ConsentText).HasMaxLength(2000);
        lead.Property(l => l.SourceSite).HasMaxLength(200);
        lead.HasOne(l => l.AssignedAgent).WithMany().HasForeignKey(l => l.AssignedAgentId).OnDelete(DeleteBehavior.SetNull);
        lead.HasIndex(l => l.Phone);
        lead.HasIndex(l => new { l.AssignedAgentId, l.Status });
        lead.HasIndex(l => l.Status);
        lead.HasIndex(l => l.Intent);
        lead.HasIndex(l => l.CreatedAt);
        lead.HasIndex(l => l.QualifiedAt);
    }
}
