using EstateVoice.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>Where a number on the internal do-not-call list came from.</summary>
public static class DoNotCallSources
{
    /// <summary>The person said so on a call (the agent's update_lead with do_not_call).</summary>
    public const string Caller = "caller";
    /// <summary>A user set do-not-call on the lead.</summary>
    public const string Lead = "lead";
    /// <summary>Added on the admin list by hand.</summary>
    public const string Admin = "admin";
    /// <summary>A lead imported from a file with do-not-call set.</summary>
    public const string Import = "import";
    /// <summary>A website's lead form posted with do-not-call set (the visitor asked not to be called).</summary>
    public const string Intake = "intake";
}

/// <summary>One number on the team's own do-not-call list: who put it there, when and why (kept as evidence).</summary>
public sealed class DoNotCallEntry
{
    public const int MaxReason = 500;

    public int Id { get; set; }
    /// <summary>E.164, unique: the list holds a number once, with its first reason.</summary>
    public required string Phone { get; set; }
    public required string Source { get; set; }
    public string? Reason { get; set; }
    public int? AddedById { get; set; }
    public User? AddedBy { get; set; }
    public int? LeadId { get; set; }
    public int? CallId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>
/// One upload of the national registry. The numbers themselves live in a blob (sorted 64-bit integers); every node
/// loads the newest row's blob, so a new upload reaches all nodes without the file passing through the database.
/// </summary>
public sealed class DncRegistryUpload
{
    public int Id { get; set; }
    public required string BlobName { get; set; }
    public int NumberCount { get; set; }
    public int BadLineCount { get; set; }
    public string? FileName { get; set; }
    public int? UploadedById { get; set; }
    public User? UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

internal sealed class DoNotCallEntryConfiguration : IEntityTypeConfiguration<DoNotCallEntry>
{
    public void Configure(EntityTypeBuilder<DoNotCallEntry> entry)
    {
        entry.ToTable("DoNotCallNumbers");
        entry.Property(e => e.Phone).HasMaxLength(32);
        entry.Property(e => e.Source).HasMaxLength(20);
        entry.Property(e => e.Reason).HasMaxLength(DoNotCallEntry.MaxReason);
        entry.HasIndex(e => e.Phone).IsUnique();
        entry.HasOne(e => e.AddedBy).WithMany().HasForeignKey(e => e.AddedById).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class DncRegistryUploadConfiguration : IEntityTypeConfiguration<DncRegistryUpload>
{
    public void Configure(EntityTypeBuilder<DncRegistryUpload> upload)
    {
        upload.ToTable("DncRegistryUploads");
        upload.Property(u => u.BlobName).HasMaxLength(200);
        upload.Property(u => u.FileName).HasMaxLength(255);
        upload.HasOne(u => u.UploadedBy).WithMany().HasForeignKey(u => u.UploadedById).OnDelete(DeleteBehavior.SetNull);
    }
}
