using System.Security.Claims;
using EstateVoice.Server.Features.Auth;

namespace EstateVoice.Server.Features.Leads;

/// <summary>
/// Which leads a user may see: Managers and Admins all of them, an Agent only those assigned to them. Every lead
/// query that serves a user starts here, so another agent's lead is simply "not found" (404), never "forbidden".
/// </summary>
public static class LeadAccess
{
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, ClaimsPrincipal user)
    {
        if (user.SeesEverything()) return leads;
        var userId = user.GetUserId();
        return leads.Where(l => l.AssignedAgentId == userId);
    }

}
