using System.ComponentModel.DataAnnotations;
using EstateVoice.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Leads.Notes;

/// <summary>A note a person wrote on a lead; its author (or a Manager/Admin) may delete it.</summary>
public sealed class LeadNote
{
    public const int MaxBody = 4000;

    public int Id { get; set; }
    public int LeadId { get; set; }
    public Lead? Lead { get; set; }
    public required string Body { get; set; }
    public int? AuthorId { get; set; }
    public User? Author { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class LeadNoteConfiguration : IEntityTypeConfiguration<LeadNote>
{
    public void Configure(EntityTypeBuilder<LeadNote> note)
    {
        note.ToTable("LeadNotes");
        note.Property(n => n.Body).HasMaxLength(LeadNote.MaxBody);
        note.HasOne(n => n.Lead).WithMany().HasForeignKey(n => n.LeadId).OnDelete(DeleteBehavior.Cascade);
        note.HasOne(n => n.Author).WithMany().HasForeignKey(n => n.AuthorId).OnDelete(DeleteBehavior.SetNull);
        note.HasIndex(n => new { n.LeadId, n.CreatedAt });
    }
}

public sealed record LeadNoteRequest([property: Required, MinLength(1), MaxLength(LeadNote.MaxBody)] string Body);

public sealed record LeadNoteResponse(int Id, int LeadId, string Body, int? AuthorId, string? AuthorName, DateTimeOffset CreatedAt);
