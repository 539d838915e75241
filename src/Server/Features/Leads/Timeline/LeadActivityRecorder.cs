using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EstateVoice.Server.Features.Leads.Timeline;

/// <summary>
/// Records a lead's creation, status changes and assignments as the change is saved. Leads change in many places
/// (LeadsApi, the importer, the voice agent's update_lead, showing bookings, qualification); recording at save time
/// is the one place that sees them all, so no writer can forget. Bulk <c>ExecuteUpdate</c> on Leads bypasses it:
/// none changes Status or AssignedAgentId today, and any that does must write its own <see cref="LeadActivity"/>.
/// </summary>
public sealed class LeadActivityRecorder(IHttpContextAccessor http, TimeProvider time) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is null) return;
        // Entries() detects changes itself (auto-detect is on everywhere), so no DetectChanges call of our own: with
        // SaveChanges' own pass that made three scans of every tracked entity per save (50,000-row imports included).
        var changed = context.ChangeTracker.Entries<Lead>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        if (changed.Count == 0) return;
        var actor = Actor();
        var now = time.GetUtcNow();
        foreach (var entry in changed)
        {
            foreach (var activity in Activities(entry))
            {
                activity.Lead = entry.Entity;
                activity.ActorUserId = actor;
                activity.At = now;
                context.Add(activity);
            }
        }
    }

    private static IEnumerable<LeadActivity> Activities(EntityEntry<Lead> entry)
    {
        var lead = entry.Entity;
        if (entry.State == EntityState.Added)
        {
            if (lead.IsTest) yield break;
            yield return new LeadActivity { Kind = LeadActivityKind.Created, ToStatus = lead.Status, ToAgentId = lead.AssignedAgentId };
            yield break;
        }
        var status = entry.Property(l => l.Status);
        if (status.IsModified && !Equals(status.OriginalValue, status.CurrentValue))
            yield return new LeadActivity { Kind = LeadActivityKind.StatusChanged, FromStatus = status.OriginalValue, ToStatus = status.CurrentValue };
        var agent = entry.Property(l => l.AssignedAgentId);
        if (agent.IsModified && agent.OriginalValue != agent.CurrentValue)
            yield return new LeadActivity { Kind = LeadActivityKind.Assigned, FromAgentId = agent.OriginalValue, ToAgentId = agent.CurrentValue };
    }

    private int? Actor()
    {
        var user = http.HttpContext?.User;
        return user?.Identity?.IsAuthenticated == true && int.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id) ? id : null;
    }
}
