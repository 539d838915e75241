using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Properties;

internal sealed class PropertyConfiguration : IEntityTypeConfiguration<Property>
{
    public void Configure(EntityTypeBuilder<Property> property)
    {
        property.Property(p => p.Address).HasMaxLength(300);
        property.Property(p => p.City).HasMaxLength(100);
        property.Property(p => p.State).HasMaxLength(50);
        property.Property(p => p.Zip).HasMaxLength(20);
        property.Property(p => p.Description).HasMaxLength(4000);
        property.HasOne(p => p.ListingAgent).WithMany().HasForeignKey(p => p.ListingAgentId).OnDelete(DeleteBehavior.SetNull);
        // The list filters: city + status + price range is the hot search (voice agent and web app).
        property.HasIndex(p => new { p.City, p.Status, p.Price });
        property.HasIndex(p => new { p.Status, p.Price });
        // Covers the list search (city + price range + minimum bedrooms, newest first): COUNT(*) and the page's ids
        // are answered from this index alone, without visiting the table (see PropertySearch.PageAsync).
        property.HasIndex(p => new { p.City, p.Price, p.Bedrooms, p.CreatedAt, p.Id });
        property.HasIndex(p => p.Bedrooms);
        property.HasIndex(p => p.CreatedAt);
    }
}
