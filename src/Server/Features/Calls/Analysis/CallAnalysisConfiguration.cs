using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Calls.Analysis;

internal sealed class CallAnalysisConfiguration : IEntityTypeConfiguration<CallAnalysis>
{
    public void Configure(EntityTypeBuilder<CallAnalysis> analysis)
    {
        analysis.HasKey(a => a.CallId);
        analysis.HasOne(a => a.Call).WithOne(c => c.Analysis).HasForeignKey<CallAnalysis>(a => a.CallId).OnDelete(DeleteBehavior.Cascade);
        analysis.Property(a => a.Summary).HasMaxLength(CallAnalysis.MaxSummary);
        analysis.Property(a => a.SuccessReason).HasMaxLength(CallAnalysis.MaxText);
        analysis.Property(a => a.FieldsJson).HasMaxLength(8000);
        analysis.Property(a => a.NextStepsJson).HasMaxLength(4000);
        analysis.Property(a => a.Model).HasMaxLength(100);
        analysis.Property(a => a.Error).HasMaxLength(CallAnalysis.MaxText);
        analysis.HasIndex(a => a.Status);
    }
}
