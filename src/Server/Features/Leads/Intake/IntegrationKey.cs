using EstateVoice.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Leads.Intake;

/// <summary>
/// A key one website's lead form uses to post to <c>POST /leads/intake</c>. Only the SHA-256 of the key is kept:
/// the key itself is shown once, when an Admin creates it. Revoking keeps the row, so leads stay traceable to it.
/// </summary>
public sealed class IntegrationKey
{
    public int Id { get; set; }
    /// <summary>The site the key is for (e.g. www.example-realty.com); becomes the lead's source site.</summary>
    public required string Site { get; set; }
    /// <summary>Hex SHA-256 of the whole key.</summary>
    public required string KeyHash { get; set; }
    /// <summary>The key's first characters, so an Admin can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }
    public int? CreatedById { get; set; }
    public User? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class IntegrationKeyConfiguration : IEntityTypeConfiguration<IntegrationKey>
{
    public void Configure(EntityTypeBuilder<IntegrationKey> key)
    {
        key.Property(k => k.Site).HasMaxLength(200);
        key.Property(k => k.KeyHash).HasMaxLength(64);
        key.Property(k => k.Prefix).HasMaxLength(16);
        key.HasIndex(k => k.KeyHash).IsUnique();
        key.HasOne(k => k.CreatedBy).WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}
