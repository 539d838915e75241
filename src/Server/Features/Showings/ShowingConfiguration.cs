using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Showings;

internal sealed class ShowingConfiguration : IEntityTypeConfiguration<Showing>
{
    public void Configure(EntityTypeBuilder<Showing> showing)
    {
        showing.Property(s => s.Notes).HasMaxLength(2000);
        showing.HasOne(s => s.Lead).WithMany().HasForeignKey(s => s.LeadId).OnDelete(DeleteBehavior.Cascade);
        showing.HasOne(s => s.Property).WithMany().HasForeignKey(s => s.PropertyId).OnDelete(DeleteBehavior.Cascade);
        showing.HasOne(s => s.Agent).WithMany().HasForeignKey(s => s.AgentId).OnDelete(DeleteBehavior.SetNull);
        showing.HasIndex(s => s.StartsAt);
        showing.HasIndex(s => new { s.AgentId, s.StartsAt });
        showing.HasIndex(s => s.LeadId);
        showing.HasIndex(s => s.PropertyId);
        showing.HasIndex(s => s.Status);
        showing.HasIndex(s => s.CreatedAt);
    }
}
