using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Leads.Routing;

public enum LeadRoutingMode { Off, RoundRobin, ByArea }

/// <summary>One area rule: a ZIP prefix (digits) or a city name (any case), and the agent its leads go to.</summary>
public sealed record AreaRule(string Match, int AgentId);

/// <summary>
/// The team's one routing row (<see cref="SingletonId"/>; absent = off). <see cref="Turn"/> is the round-robin
/// counter every node advances with a conditional UPDATE, so no two leads get the same turn.
/// </summary>
public sealed class LeadRoutingSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public LeadRoutingMode Mode { get; set; }
    public string AreaRulesJson { get; set; } = "[]";
    public long Turn { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<AreaRule> AreaRules
    {
        get => JsonSerializer.Deserialize<List<AreaRule>>(AreaRulesJson) ?? [];
        set => AreaRulesJson = JsonSerializer.Serialize(value);
    }
}

internal sealed class LeadRoutingSettingsConfiguration : IEntityTypeConfiguration<LeadRoutingSettings>
{
    public void Configure(EntityTypeBuilder<LeadRoutingSettings> settings)
    {
        settings.ToTable("LeadRouting");
        settings.Property(s => s.Id).ValueGeneratedNever();
        settings.Property(s => s.AreaRulesJson).HasMaxLength(20_000);
        settings.Ignore(s => s.AreaRules);
    }
}
