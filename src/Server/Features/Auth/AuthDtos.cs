using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Features.Auth;

public sealed record LoginRequest(
    [property: Required, EmailAddress, MaxLength(254)] string Email,
    [property: Required, MaxLength(200)] string Password);

public sealed record UserResponse(int Id, string Email, string Name, UserRole Role, string? Phone, bool IsActive, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.Name, user.Role, user.Phone, user.IsActive, user.CreatedAt);
}

public sealed record LoginResponse(string AccessToken, string TokenType, int ExpiresIn, UserResponse User);
