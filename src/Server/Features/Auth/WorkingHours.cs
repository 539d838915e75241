using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Auth;

/// <summary>
/// One weekday on which a user works, from <see cref="Starts"/> to <see cref="Ends"/> in the agency's time zone. A
/// user with no rows has not set hours and is bookable any time; a user with rows only on the days they list.
/// </summary>
public sealed class WorkingHours
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public DayOfWeek Day { get; set; }
    public TimeOnly Starts { get; set; }
    public TimeOnly Ends { get; set; }
}

internal sealed class WorkingHoursConfiguration : IEntityTypeConfiguration<WorkingHours>
{
    public void Configure(EntityTypeBuilder<WorkingHours> hours)
    {
        hours.HasOne<User>().WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Cascade);
        hours.HasIndex(h => new { h.UserId, h.Day }).IsUnique();
    }
}
