namespace EstateVoice.Server.Features.Voice.Recording;

public enum RecordingMode { Off, Disclose, Ask }

public enum RecordingFormat { Mp3, Wav }

/// <summary>
/// Recordings of the calls the product handles itself, from the environment: <c>RECORDING_MODE</c>
/// (off | disclose | ask, default disclose), <c>RECORDING_FORMAT</c> (mp3 | wav, default mp3),
/// <c>RECORDING_CONSENT_STATES</c> (the US states where <c>ask</c> applies, by the caller's area code; default the
/// all-party-consent states), <c>RECORDING_DISCLOSURE</c> and <c>RECORDING_CONSENT_QUESTION</c> (the lines said).
/// </summary>
public sealed class RecordingOptions
{
    public const string ModeVariable = "RECORDING_MODE";
    public const string FormatVariable = "RECORDING_FORMAT";
    public const string ConsentStatesVariable = "RECORDING_CONSENT_STATES";
    public const string DisclosureVariable = "RECORDING_DISCLOSURE";
    public const string ConsentQuestionVariable = "RECORDING_CONSENT_QUESTION";

    /// <summary>States where every party must agree to a recording (the common legal reading; check with counsel).</summary>
    public static readonly IReadOnlyList<string> AllPartyConsentStates =
        ["CA", "CT", "DE", "FL", "IL", "MD", "MA", "MI", "MT", "NV", "NH", "OR", "PA", "WA"];

    public RecordingMode Mode { get; init; } = RecordingMode.Disclose;
    public RecordingFormat Format { get; init; } = RecordingFormat.Mp3;
    public IReadOnlySet<string> ConsentStates { get; init; } = new HashSet<string>(AllPartyConsentStates, StringComparer.OrdinalIgnoreCase);
    public string Disclosure { get; init; } = "This call may be recorded for quality.";
    public string ConsentQuestion { get; init; } = "Before we go on: may we record this call for quality? Please say yes or no.";

    /// <summary>The lines a greeting may add under this mode (pre-synthesised with it).</summary>
    public IEnumerable<string> OpeningLines => Mode switch
    {
        RecordingMode.Off => [],
        RecordingMode.Disclose => [Disclosure],
        _ => [Disclosure, ConsentQuestion],
    };

    /// <summary>Where calls are recorded while they run, and wait to be encoded (this node's disk).</summary>
    public string TempDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "estate-voice-recordings");

    /// <summary>ffmpeg's path (tests point it at a program that fails).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>At most this many encodes at once (each at idle priority).</summary>
    public int MaxConcurrentEncodes { get; init; } = 2;

    public static RecordingOptions From(IConfiguration config, string dataDirectory)
    {
        var mode = config[ModeVariable]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "disclose" => RecordingMode.Disclose,
            "off" or "none" or "false" => RecordingMode.Off,
            "ask" => RecordingMode.Ask,
            var other => throw new InvalidOperationException($"{ModeVariable}='{other}': use off, disclose or ask"),
        };
        var format = config[FormatVariable]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "mp3" => RecordingFormat.Mp3,
            "wav" => RecordingFormat.Wav,
            var other => throw new InvalidOperationException($"{FormatVariable}='{other}': use mp3 or wav"),
        };
        var states = config[ConsentStatesVariable] is { } list
            ? list.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : AllPartyConsentStates;
        var defaults = new RecordingOptions();
        return new RecordingOptions
        {
            Mode = mode,
            Format = format,
            ConsentStates = new HashSet<string>(states.Select(s => s.ToUpperInvariant()), StringComparer.OrdinalIgnoreCase),
            Disclosure = config[DisclosureVariable] is { Length: > 0 } d ? d : defaults.Disclosure,
            ConsentQuestion = config[ConsentQuestionVariable] is { Length: > 0 } q ? q : defaults.ConsentQuestion,
            TempDirectory = config["Recording:TempDirectory"] is { Length: > 0 } dir ? dir : Path.Combine(dataDirectory, "recordings-pending"),
            FfmpegPath = config["Recording:FfmpegPath"] is { Length: > 0 } ff ? ff : defaults.FfmpegPath,
        };
    }
}
