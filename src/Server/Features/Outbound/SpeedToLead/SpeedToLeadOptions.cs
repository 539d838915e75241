namespace EstateVoice.Server.Features.Outbound.SpeedToLead;

/// <summary><c>SPEED_TO_LEAD</c> (<c>on</c>|<c>off</c>, default on): web-form leads with consent are called at once.</summary>
public sealed class SpeedToLeadOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The promise the report measures against: the first ring within this long of the intake.</summary>
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(60);

    public void Read(IConfiguration config, List<string> problems)
    {
        var value = config["SPEED_TO_LEAD"]?.Trim().ToLowerInvariant();
        switch (value)
        {
            case null or "": break;
            case "on" or "true" or "1": Enabled = true; break;
            case "off" or "false" or "0": Enabled = false; break;
            default: problems.Add($"SPEED_TO_LEAD must be on or off, not '{config["SPEED_TO_LEAD"]}'."); break;
        }
    }
}
