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
    /// <summary>
    /// Every token carries the stamp it was issued with and is refused once the stamp changes: a password, role or
    /// active change ends all earlier sessions at once (<see cref="SecurityStamps"/>).
    /// </summary>
    public string SecurityStamp { get; set; } = SecurityStamps.New();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
