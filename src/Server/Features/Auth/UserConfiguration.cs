using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Auth;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.Email).HasMaxLength(254);
        user.HasIndex(u => u.Email).IsUnique();
        user.Property(u => u.Name).HasMaxLength(200);
        user.Property(u => u.PasswordHash).HasMaxLength(200);
        user.Property(u => u.Phone).HasMaxLength(20);
        user.Property(u => u.SecurityStamp).HasMaxLength(SecurityStamps.Length);
        user.HasIndex(u => u.Role);
    }
}
