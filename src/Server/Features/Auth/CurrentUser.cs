using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EstateVoice.Server.Features.Auth;

public static class CurrentUser
{
    public const string RoleClaim = "role";
    /// <summary>The user's <see cref="User.SecurityStamp"/> when the token was issued.</summary>
    public const string StampClaim = "stamp";

    public static int GetUserId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The principal has no user id claim.");

    public static UserRole GetRole(this ClaimsPrincipal principal) =>
        Enum.TryParse<UserRole>(principal.FindFirstValue(RoleClaim), out var role) ? role : UserRole.Agent;

    /// <summary>Agents see only their own leads and calls; Managers and Admins see everything.</summary>
    public static bool SeesEverything(this ClaimsPrincipal principal) => principal.GetRole() is UserRole.Admin or UserRole.Manager;
}

public static class Policies
{
    public const string Admin = nameof(Admin);
    public const string ManagerOrAdmin = nameof(ManagerOrAdmin);
}
