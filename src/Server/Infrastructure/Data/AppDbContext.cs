using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Features.Webhooks.Outgoing;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// One model for both databases. Each provider has a thin subclass so it owns its own migration set
/// ("Migrations with Multiple Providers" in the EF Core docs).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Property> Properties => Set<Property>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Features.Leads.Intake.IntegrationKey> IntegrationKeys => Set<Features.Leads.Intake.IntegrationKey>();
    public DbSet<Call> Calls => Set<Call>();
    public DbSet<CallTurn> CallTurns => Set<CallTurn>();
    public DbSet<Showing> Showings => Set<Showing>();
    public DbSet<WorkingHours> WorkingHours => Set<WorkingHours>();
    public DbSet<ElevenLabsEventLog> ElevenLabsEventLogs => Set<ElevenLabsEventLog>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<CallAnalysis> CallAnalyses => Set<CallAnalysis>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Features.Outbound.Campaigns.Campaign> Campaigns => Set<Features.Outbound.Campaigns.Campaign>();
    public DbSet<Features.Outbound.Campaigns.CampaignLead> CampaignLeads => Set<Features.Outbound.Campaigns.CampaignLead>();
    public DbSet<Features.Outbound.Campaigns.DialPaceSlot> DialPaceSlots => Set<Features.Outbound.Campaigns.DialPaceSlot>();
    public DbSet<Features.Notifications.Notification> Notifications => Set<Features.Notifications.Notification>();

    public abstract DatabaseProvider Provider { get; }

    /// <summary>The queue this database's writers take turns in (SQLite only; null on PostgreSQL, which needs none).</summary>
    public virtual SqliteWriteGate? WriteGate => null;

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as their names: readable in SQL, and reordering an enum never corrupts rows.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<decimal>().HavePrecision(14, 2);
    }
}
