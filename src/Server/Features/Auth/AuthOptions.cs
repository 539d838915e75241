using System.Security.Cryptography;
using EstateVoice.Server.Infrastructure.Configuration;

namespace EstateVoice.Server.Features.Auth;

public sealed class AuthOptions
{
    public const int MinimumKeyLength = 32;
    public string SecretKey { get; set; } = "";
    public string Issuer { get; set; } = "estate-voice";
    public string Audience { get; set; } = "estate-voice";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts per email (or per trusted device) that go straight through; after them each must wait.</summary>
    public int FreeLoginAttempts { get; set; } = 5;
    /// <summary>The first wait after the free attempts; each further attempt doubles it, up to <see cref="MaxLoginDelay"/>.</summary>
    public TimeSpan FirstLoginDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxLoginDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>No attempt for this long and the count starts afresh.</summary>
    public TimeSpan LoginAttemptWindow { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>How long a browser that signed in stays trusted (its attempts counted apart from strangers').</summary>
    public TimeSpan TrustedDeviceLifetime { get; set; } = TimeSpan.FromDays(90);
    /// <summary>How often long-lived connections re-check their user (catches revocations made on another node).</summary>
    public TimeSpan SessionRecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Browsers reach the product over https (<c>PUBLIC_BASE_URL</c> is https): its cookies are <c>Secure</c> even when
    /// a TLS-terminating proxy forwards plain http and <c>TRUSTED_PROXIES</c> is not set to say so.
    /// </summary>
    public bool ServedOverHttps { get; set; }

    /// <summary>
    /// Reads <c>JWT_SECRET_KEY</c>. In demo mode only, a missing key is generated once and kept in the data
    /// directory so tokens survive restarts; anywhere else a missing or short key stops startup.
    /// </summary>
    public static AuthOptions From(IConfiguration configuration, DemoOptions demo)
    {
        var options = new AuthOptions { SecretKey = configuration["JWT_SECRET_KEY"] ?? "" };
        if (int.TryParse(configuration["JWT_EXPIRES_MINUTES"], out var minutes) && minutes > 0)
            options.AccessTokenLifetime = TimeSpan.FromMinutes(minutes);
        if (int.TryParse(configuration["SESSION_RECHECK_SECONDS"], out var recheck) && recheck > 0)
            options.SessionRecheckInterval = TimeSpan.FromSeconds(recheck);
        options.ServedOverHttps = configuration["PUBLIC_BASE_URL"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
        if (options.SecretKey.Length == 0 && demo.Enabled)
            options.SecretKey = LoadOrCreateDemoKey(demo.DataDirectory);
        if (options.SecretKey.Length < MinimumKeyLength)
            throw new InvalidOperationException(options.SecretKey.Length == 0
                ? $"JWT_SECRET_KEY is not set. Set it to a random string of at least {MinimumKeyLength} characters (or set SEED_DEMO_DATA=true for demo mode)."
                : $"JWT_SECRET_KEY is too short: it has {options.SecretKey.Length} characters and must have at least {MinimumKeyLength}.");
        return options;
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The key signs every token, so its file is the owner's alone (0600), set as it is created: no window when others can read it.</summary>
    private static string LoadOrCreateDemoKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "jwt-secret.key");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= MinimumKeyLength } existing)
        {
            // A file written by an older version (or copied in) may be readable by others.
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != OwnerOnly) File.SetUnixFileMode(path, OwnerOnly);
            return existing;
        }
        Directory.CreateDirectory(dataDirectory);
        File.Delete(path); // a too-short key is replaced; the mode below applies only to a newly created file
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var file = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options)) file.Write(key);
        return key;
    }
}
