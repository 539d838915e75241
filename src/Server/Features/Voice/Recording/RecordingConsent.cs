namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>What a call does about recording, decided at its start from the mode and the caller's state.</summary>
/// <param name="Mode">Off (no recording), Disclose (recorded, the greeting says so) or Ask (recorded only on a yes).</param>
/// <param name="State">The caller's US state from the area code, when known.</param>
public sealed record RecordingPlan(RecordingMode Mode, string? State)
{
    /// <summary>"caller in CA", or "caller's state unknown".</summary>
    public string Caller => State is null ? "caller's state unknown" : $"caller in {State}";
}

public enum ConsentAnswer { None, Yes, No }

/// <summary>The consent rules: which calls ask, and how a caller's words answer the question.</summary>
public static class RecordingConsent
{
    public static RecordingPlan Plan(RecordingOptions options, string? fromNumber)
    {
        var state = AreaCodes.StateOf(fromNumber);
        return options.Mode switch
        {
            RecordingMode.Off => new RecordingPlan(RecordingMode.Off, state),
            // Ask only where the caller's state wants every party's consent; elsewhere the disclosure is enough.
            RecordingMode.Ask when state is not null && options.ConsentStates.Contains(state) => new RecordingPlan(RecordingMode.Ask, state),
            _ => new RecordingPlan(RecordingMode.Disclose, state),
        };
    }

    private static readonly string[] Yes =
        ["yes", "yeah", "yep", "yup", "sure", "ok", "okay", "fine", "agree", "of course", "go ahead", "certainly", "absolutely", "alright", "all right", "that's fine"];

    private static readonly string[] No =
        ["no", "nope", "nah", "don't", "do not", "dont", "rather not", "not okay", "not ok", "disagree", "refuse", "decline"];

    /// <summary>The caller's first words after the question: a no wins over a yes ("no, I'd rather not, okay?").</summary>
    public static ConsentAnswer Judge(string words)
    {
        var text = " " + new string(words.ToLowerInvariant().Select(c => char.IsLetter(c) || c == '\'' ? c : ' ').ToArray()) + " ";
        if (No.Any(w => text.Contains(" " + w + " ", StringComparison.Ordinal))) return ConsentAnswer.No;
        if (Yes.Any(w => text.Contains(" " + w + " ", StringComparison.Ordinal))) return ConsentAnswer.Yes;
        return ConsentAnswer.None;
    }
}
