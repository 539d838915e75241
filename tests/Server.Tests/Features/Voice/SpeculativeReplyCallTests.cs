using System.Text.Json.Nodes;
using EstateVoice.Server.Tests.Features.Voice.Faults;
using static EstateVoice.Server.Tests.Features.Voice.Faults.CloudVoiceApp;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>A speculative reply in a whole call (real server, Deepgram and Azure OpenAI fakes on loopback).</summary>
public sealed class SpeculativeReplyCallTests
{
    [Fact]
    public async Task A_speculation_on_an_interim_the_final_does_not_confirm_is_neither_heard_nor_saved()
    {
        var final = AudioFixtures.Transcripts["caller-name"];
        // The fake recogniser's interim is the first half of the words; the final has them all.
        await using var cloud = await StartAsync([final], settings => settings["Voice:SpeculativeReplies"] = "true");
        // The final waits until the model was asked about the interim: under load the two can arrive back to back,
        // closer than the speculation pause, and no speculation would start.
        cloud.Deepgram.HoldSpeechFinalUntil = cloud.Llm.RequestSeen(body => LastUserText(body) == "My name");
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, "(no scripted reply)");
            var call = await cloud.HangUpAsync(caller, line, callId);

            var asked = cloud.Llm.Requests.Select(r => LastUserText(r.Body)).Where(t => t is not null).ToList();
            // The model was asked about the interim at the pause, then about the final.
            Assert.Contains("My name", asked);
            Assert.Equal(final, asked[^1]);
            // One reply was heard and saved: the one to the final words.
            Assert.Equal(["(no scripted reply)"], AgentLines(call)[1..]);
            Assert.Equal([final], CallerLines(call));
        }
    }

    private static string? LastUserText(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages) return null;
        var user = messages.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user");
        return user?["content"] switch
        {
            JsonValue text => text.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
            _ => null,
        };
    }
}
