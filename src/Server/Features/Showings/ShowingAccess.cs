using System.Security.Claims;
using EstateVoice.Server.Features.Auth;

namespace EstateVoice.Server.Features.Showings;

/// <summary>Managers and Admins see every showing; an Agent those they run and those of leads assigned to them.</summary>
public static class ShowingAccess
{
    public static IQueryable<Showing> VisibleTo(this IQueryable<Showing> showings, ClaimsPrincipal user)
    {
        if (user.SeesEverything()) return showings;
        var userId = user.GetUserId();
        return showings.Where(s => s.AgentId == userId || (s.Lead != null && s.Lead.AssignedAgentId == userId));
    }
}
