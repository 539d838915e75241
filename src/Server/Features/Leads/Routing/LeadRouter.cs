using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads.Routing;

/// <summary>
/// Gives new unassigned leads (voice, website intake, an import without an assignee) an agent, by the Admin's
/// setting: off, round-robin over active Agents, or by area (the lead's preferred areas against ZIP prefixes and
/// cities). Call <see cref="RouteAsync"/> before saving the new leads and <see cref="NotifyAsync"/> after.
/// </summary>
public sealed class LeadRouter(AppDbContext db, INotifier notifier)
{
    private const int MaxTurnRaces = 20;

    /// <returns>The leads given an agent.</returns>
    public async Task<IReadOnlyList<Lead>> RouteAsync(IReadOnlyList<Lead> leads, CancellationToken ct)
    {
        var unassigned = leads.Where(l => l.AssignedAgentId is null && !l.IsTest).ToList();
        if (unassigned.Count == 0) return [];
        var settings = await db.Set<LeadRoutingSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == LeadRoutingSettings.SingletonId, ct);
        if (settings is null || settings.Mode == LeadRoutingMode.Off) return [];
        var agents = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Role == UserRole.Agent).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
        if (agents.Count == 0) return [];
        return settings.Mode == LeadRoutingMode.RoundRobin
            ? await RoundRobinAsync(unassigned, agents, settings.Turn, ct)
            : ByArea(unassigned, settings.AreaRules, agents.ToHashSet());
    }

    /// <summary>Each routed lead's agent hears of it: one notification per lead, or one per agent for a batch.</summary>
    public async Task NotifyAsync(IReadOnlyList<Lead> routed, CancellationToken ct)
    {
        foreach (var group in routed.GroupBy(l => l.AssignedAgentId!.Value))
        {
            var message = group.Count() == 1
                ? NotificationMessages.LeadAssigned(group.Key, group.First().Id, group.First().Name)
                : new NotificationMessage(group.Key, NotificationKind.LeadAssigned, $"{group.Count()} new leads assigned to you", "/leads");
            await notifier.PublishAsync(message, ct);
        }
    }

    /// <summary>An import tells each agent once how many of its leads they got.</summary>
    public async Task NotifyImportedAsync(IReadOnlyDictionary<int, int> routedPerAgent, CancellationToken ct)
    {
        foreach (var (agentId, count) in routedPerAgent)
            await notifier.PublishAsync(new NotificationMessage(agentId, NotificationKind.LeadAssigned,
                count == 1 ? "1 imported lead assigned to you" : $"{count} imported leads assigned to you", "/leads"), ct);
    }

    /// <summary>
    /// Takes turns [t, t + n) with one conditional UPDATE on the shared counter: a node that read the same t loses
    /// the race, reads again and takes the next range. So across nodes no two leads get the same turn.
    /// </summary>
    private async Task<IReadOnlyList<Lead>> RoundRobinAsync(List<Lead> leads, List<int> agents, long turn, CancellationToken ct)
    {
        for (var race = 0; race < MaxTurnRaces; race++)
        {
            var taken = turn;
            var won = await db.Set<LeadRoutingSettings>()
                .Where(s => s.Id == LeadRoutingSettings.SingletonId && s.Turn == taken)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Turn, taken + leads.Count), ct);
            if (won == 1)
            {
                for (var i = 0; i < leads.Count; i++) leads[i].AssignedAgentId = agents[(int)((taken + i) % agents.Count)];
                return leads;
            }
            turn = await db.Set<LeadRoutingSettings>().AsNoTracking().Where(s => s.Id == LeadRoutingSettings.SingletonId)
                .Select(s => s.Turn).SingleAsync(ct);
        }
        return []; // Lost every race (extreme contention): the lead stays unassigned rather than failing its request.
    }

    private static List<Lead> ByArea(List<Lead> leads, IReadOnlyList<AreaRule> rules, HashSet<int> activeAgents)
    {
        var routed = new List<Lead>();
        foreach (var lead in leads)
        {
            var rule = rules.FirstOrDefault(r => activeAgents.Contains(r.AgentId) && lead.PreferredAreas.Any(a => Matches(r.Match, a)));
            if (rule is null) continue;
            lead.AssignedAgentId = rule.AgentId;
            routed.Add(lead);
        }
        return routed;
    }

    /// <summary>Digits: a ZIP prefix of the area; anything else: the city's name, ignoring case and spaces around it.</summary>
    internal static bool Matches(string match, string area)
    {
        var m = match.Trim();
        var a = area.Trim();
        return m.All(char.IsAsciiDigit) ? a.StartsWith(m, StringComparison.Ordinal) : string.Equals(m, a, StringComparison.OrdinalIgnoreCase);
    }
}
