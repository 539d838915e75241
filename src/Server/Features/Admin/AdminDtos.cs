using System.ComponentModel.DataAnnotations;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace EstateVoice.Server.Features.Admin;

public sealed record CreateUserRequest(
    [property: Required, EmailAddress, MaxLength(254)] string Email,
    [property: Required, MaxLength(200)] string Name,
    [property: Required] UserRole? Role,
    [property: Required, MinLength(8), MaxLength(200)] string Password,
    [property: RegularExpression(LeadRules.E164, ErrorMessage = LeadRules.E164Message)] string? Phone);

/// <summary>PUT body (name and role required) and PATCH body (only fields present change). A password resets it.</summary>
public sealed record UpdateUserRequest(
    [property: MinLength(1), MaxLength(200)] string? Name,
    UserRole? Role,
    [property: RegularExpression(LeadRules.E164, ErrorMessage = LeadRules.E164Message)] string? Phone,
    bool? IsActive,
    [property: MinLength(8), MaxLength(200)] string? Password);

public sealed record AgentOption(int Id, string Name);

/// <summary><c>GET /admin/users</c> query: role, is_active, q over name and email.</summary>
public sealed class UserSearchQuery : PageQuery
{
    [FromQuery(Name = "role")] public string? Role { get; set; }
    [FromQuery(Name = "is_active")] public bool? IsActive { get; set; }
    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
}

public static class UserSearch
{
    public static readonly SortOptions<User> Sorts = new SortOptions<User>("-created_at", u => u.Id)
        .Add("created_at", u => u.CreatedAt)
        .Add("name", u => u.Name)
        .Add("email", u => u.Email)
        .Add("role", u => u.Role);

    public static IQueryable<User> Apply(IQueryable<User> users, UserSearchQuery query, QueryErrors errors)
    {
        query.Validate(errors);
        if (query.Q?.Length > 200) errors.Add("q", "q is at most 200 characters.");
        var role = errors.Enum<UserRole>("role", query.Role);
        if (role is { } r) users = users.Where(u => u.Role == r);
        if (query.IsActive is { } active) users = users.Where(u => u.IsActive == active);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().ToLower();
            users = users.Where(u => u.Name.ToLower().Contains(q) || u.Email.Contains(q));
        }
        return Sorts.Apply(users, query.Sort, errors);
    }
}
