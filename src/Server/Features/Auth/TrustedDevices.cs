using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace EstateVoice.Server.Features.Auth;

/// <summary>
/// A browser that signed in to an account gets a signed cookie (OWASP's "device cookies"); its later attempts at
/// that account are counted under a key of its own, so strangers failing against the account never slow its owner
/// down there, and a stolen cookie is slowed down on its own. The cookie only chooses the count: the password is
/// still checked. HttpOnly, SameSite=Strict, sent only to <c>/auth/login</c>; the web app needs no change.
/// </summary>
public sealed class TrustedDevices(AuthOptions options, TimeProvider time)
{
    public const string CookieName = "ev_device";
    public const string CookiePath = "/auth/login";

    // Derived, so a cookie can never be mistaken for (or help forge) an access token.
    private readonly byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.SecretKey), "estate-voice trusted device"u8);

    /// <summary>The device's nonce when <paramref name="cookie"/> is a live cookie this server issued for this email; otherwise null.</summary>
    public string? Recognise(string? cookie, string normalizedEmail)
    {
        var parts = cookie?.Split('.');
        if (parts is not [var nonce, var expiresText, var signature]
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= time.GetUtcNow().ToUnixTimeSeconds())
            return null;
        var expected = Sign(normalizedEmail, nonce, expires);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(expected)) ? nonce : null;
    }

    public void Remember(HttpContext http, string normalizedEmail)
    {
        var nonce = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var expires = time.GetUtcNow() + options.TrustedDeviceLifetime;
        var value = $"{nonce}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{Sign(normalizedEmail, nonce, expires.ToUnixTimeSeconds())}";
        http.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps || options.ServedOverHttps,
            Path = CookiePath,
            MaxAge = options.TrustedDeviceLifetime,
            IsEssential = true,
        });
    }

    private string Sign(string normalizedEmail, string nonce, long expires) =>
        Base64UrlEncoder.Encode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{normalizedEmail}\n{nonce}\n{expires.ToString(CultureInfo.InvariantCulture)}")));
}
