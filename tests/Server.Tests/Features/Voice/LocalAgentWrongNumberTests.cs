using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.Extensions.AI;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>The offline agent (no cloud keys) and a caller who dialled the wrong number.</summary>
public sealed class LocalAgentWrongNumberTests
{
    [Theory]
    [InlineData("Sorry, wrong number.")]
    [InlineData("Oh I think I dialed the wrong number")]
    [InlineData("There's nobody here by that name")]
    public async Task It_apologises_and_ends_the_call_with_a_closing_line(string said)
    {
        var options = new VoiceOptions { AgencyName = "Lakeside Homes" };
        using var agent = new LocalChatClient(new NoData(), options, TimeProvider.System);
        var response = await agent.GetResponseAsync([
            new ChatMessage(ChatRole.System, "instructions"),
            new ChatMessage(ChatRole.Assistant, options.EffectiveGreeting),
            new ChatMessage(ChatRole.User, said),
        ]);

        var end = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(AgentTools.EndCall, end.Name);
        Assert.Contains("sorry", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("goodbye", response.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_caller_who_wants_a_number_is_not_a_wrong_number()
    {
        Assert.False(Understanding.Parse("What's the number for your office?", [], null).WrongNumber);
        Assert.False(Understanding.Parse("I'm looking for the right house", [], null).WrongNumber);
    }

    [Fact]
    public async Task A_wrong_number_call_ends_after_the_apology_without_the_caller_hanging_up()
    {
        var stt = new ScriptedSpeechToText("Sorry, I think I have the wrong number.");
        await using var app = new VoiceAppFactory { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: 10) };
        var (caller, callId) = await app.CallAsync(from: "+15125550888");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("goodbye"), speed: 4);
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId), 15000);
        }
        var turns = (await app.CallRowAsync(callId)).Turns;
        var last = turns.Last(t => t.Speaker == Server.Features.Calls.Speaker.Agent);
        Assert.Contains("sorry about the mix-up", last.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(AgentTools.EndCall, last.ToolCallsJson ?? "");
    }

    private sealed class NoData : IAgentDataStore
    {
        public Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<PropertySummary>>([]);
        public Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken) => Task.FromResult<PropertySummary?>(null);
        public Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["Austin"]);
        public Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken) => Task.FromResult<LeadSnapshot?>(null);
        public Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string? phone, LeadUpdate update, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
