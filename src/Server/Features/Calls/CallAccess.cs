using System.Security.Claims;
using EstateVoice.Server.Features.Auth;

namespace EstateVoice.Server.Features.Calls;

/// <summary>
/// Which calls a user may see: Managers and Admins all; an Agent the calls they handled and the calls on leads
/// assigned to them. Anything serving a call to a user (detail, recording stream, live monitor) starts with
/// <c>db.Calls.VisibleTo(user)</c>, so another agent's call answers 404.
/// </summary>
public static class CallAccess
{
    public static IQueryable<Call> VisibleTo(this IQueryable<Call> calls, ClaimsPrincipal user)
    {
        if (user.SeesEverything()) return calls;
        var userId = user.GetUserId();
        return calls.Where(c => c.AgentId == userId || (c.Lead != null && c.Lead.AssignedAgentId == userId));
    }
}
