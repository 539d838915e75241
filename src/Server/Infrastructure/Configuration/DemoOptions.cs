namespace EstateVoice.Server.Infrastructure.Configuration;

/// <summary>
/// Demo mode (<c>SEED_DEMO_DATA</c>) is what <c>make run</c> uses: demo users and data, a generated JWT key,
/// and Twilio signature checks off when no auth token is configured.
/// </summary>
public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public string Password { get; set; } = "password";
    /// <summary>Where generated secrets and local recordings live (<c>DATA_DIR</c>, default <c>data</c>).</summary>
    public string DataDirectory { get; set; } = "data";

    public static DemoOptions From(IConfiguration configuration) => new()
    {
        Enabled = IsTrue(configuration["SEED_DEMO_DATA"]),
        Password = configuration["DEMO_PASSWORD"] is { Length: > 0 } password ? password : "password",
        DataDirectory = Path.GetFullPath(configuration["DATA_DIR"] is { Length: > 0 } dir ? dir : "data"),
    };

    public static bool IsTrue(string? value) => value?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
}
