using EstateVoice.CallSimulator;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>The tests' ways of speaking on a <see cref="SimulatedCall"/> driven by hand (the fixtures' silence ends a turn).</summary>
public static class CallerSpeech
{
    /// <summary>Says an utterance followed by the silence that ends the turn.</summary>
    public static Task SayAsync(this SimulatedCall caller, byte[] utterance, int trailingSilenceMs = 600, double speed = 1) =>
        caller.SendAudioAsync([.. utterance, .. AudioFixtures.Silence(trailingSilenceMs)], speed);

    /// <summary>Says an utterance, then waits for the agent's whole reply.</summary>
    public static async Task SayAndAwaitReplyAsync(this SimulatedCall caller, byte[] utterance, double speed = 4)
    {
        var before = caller.Media.Count;
        await caller.SayAsync(utterance, speed: speed);
        await caller.WaitForAgentToFinishAsync(sinceMediaCount: before);
    }
}
