using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EstateVoice.Server.Features.Auth;

public sealed class TokenService(AuthOptions options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public SymmetricSecurityKey SigningKey { get; } = CreateKey(options.SecretKey);

    public static SymmetricSecurityKey CreateKey(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public (string Token, int ExpiresInSeconds) CreateAccessToken(User user)
    {
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + options.AccessTokenLifetime).UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
                new Claim(JwtRegisteredClaimNames.Name, user.Name),
                new Claim(CurrentUser.RoleClaim, user.Role.ToString()),
                new Claim(CurrentUser.StampClaim, user.SecurityStamp),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        };
        return (handler.CreateToken(descriptor), (int)options.AccessTokenLifetime.TotalSeconds);
    }
}
