using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Infrastructure.Jobs;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.Property(j => j.Kind).HasMaxLength(Job.MaxKind);
        job.Property(j => j.Key).HasMaxLength(Job.MaxKey);
        job.Property(j => j.ClaimedBy).HasMaxLength(100);
        job.Property(j => j.LastError).HasMaxLength(Job.MaxError);
        job.HasIndex(j => new { j.Kind, j.Key }).IsUnique();
        job.HasIndex(j => new { j.State, j.NextAttemptAt });
    }
}
