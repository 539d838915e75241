namespace EstateVoice.Server.Features.Auth;

public enum UserRole { Admin, Manager, Agent }

public sealed class User
{
    public int Id { get; set; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public UserRole Role { get; set; }
    public string PasswordHash { get; set; } = "";
    /// <summary>E.164 number the voice agent transfers callers to.</summary>
    public string? Phone { get; set; }
    public bool IsActive { get; set; } = true;
    public int FailedLoginCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
