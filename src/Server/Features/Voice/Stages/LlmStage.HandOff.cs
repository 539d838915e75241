using EstateVoice.Server.Features.Voice.Pipeline;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice.Stages;

// The agent's failures and hand-offs: what the caller hears when a provider fails, and the frames that end or transfer the call.
public sealed partial class LlmStage
{
    /// <summary>
    /// A provider failure another stage could not recover from. Speech-to-text that never came back: the caller
    /// cannot be heard, so say so and end the call. Text-to-speech down (retries and fallback voice failed): hand the
    /// caller to a person with a phrase whose audio is cached. Anything else: apologise and offer a person once.
    /// </summary>
    private async ValueTask HandleFailureAsync(string source, string message)
    {
        observer.OnProviderFailure(source, message);
        if (source == "stt")
        {
            if (Interlocked.Exchange(ref _callEnding, 1) == 0)
                await SpeakThenAsync(options.CannotHearGoodbye, new EndCallFrame("speech-to-text failure")).ConfigureAwait(false);
            return;
        }
        if (source == "tts" || Interlocked.Exchange(ref _failed, 1) == 1)
        {
            if (Interlocked.Exchange(ref _callEnding, 1) == 0)
                await SpeakThenAsync(TransferPhrase, Transfer($"{source} failure", null)).ConfigureAwait(false);
            return;
        }
        _humanOffered = true;
        await SpeakThenAsync(options.Apology, null).ConfigureAwait(false);
    }

    private async Task AnswerHumanOfferAsync(string answer, ReplyCause cause)
    {
        _humanOffered = false;
        var yes = Providers.Local.Understanding.IsYes(answer) || answer.Contains("person", StringComparison.OrdinalIgnoreCase) ||
                  answer.Contains("agent", StringComparison.OrdinalIgnoreCase);
        if (yes)
            await SpeakThenAsync("Okay, connecting you with one of our agents now.", Transfer("provider failure; caller accepted a human", null), cause).ConfigureAwait(false);
        else
            await SpeakThenAsync($"No problem. You can also reach our office at {options.OfficePhone}. Goodbye.", new EndCallFrame("provider failure"), cause).ConfigureAwait(false);
    }

    /// <param name="cause">The caller turn this answers, if any (a keypress, a failure or a refused transfer answers none).</param>
    private async ValueTask SpeakThenAsync(string? words, Frame? then, ReplyCause? cause = null)
    {
        await PushFrameAsync(cause is null ? AgentReplyStartedFrame.Unprompted : new AgentReplyStartedFrame(cause)).ConfigureAwait(false);
        if (words is not null)
        {
            AddAssistantText(words);
            await PushFrameAsync(new SpeakSentenceFrame(words)).ConfigureAwait(false);
        }
        await PushFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
        if (then is not null) await PushFrameAsync(then).ConfigureAwait(false);
    }

    /// <summary>
    /// The hand-off to a person. Warm (<see cref="VoiceOptions.WarmTransfer"/>): the person first hears one sentence
    /// — the model's summary if it gave one, else the reason.
    /// </summary>
    private TransferCallFrame Transfer(string reason, string? summary)
    {
        if (!options.WarmTransfer) return new TransferCallFrame(reason);
        var whisper = string.IsNullOrWhiteSpace(summary) ? $"A caller for {options.AgencyName}: {reason}." : summary.Trim();
        return new TransferCallFrame(reason, whisper);
    }

    private static string? Argument(FunctionCallContent fc, string name) =>
        fc.Arguments is not null && fc.Arguments.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text ? text : null;
}
