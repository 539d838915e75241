using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
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
        using var agent = new LocalChatClient(new NoAgentData(), options, TimeProvider.System);
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

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_wrong_number_call_ends_after_the_apology_with_its_own_outcome_and_no_lead(Db db)
    {
        var stt = new ScriptedSpeechToText("Sorry, I think I have the wrong number.");
        await using var app = await VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));
        var (caller, callId) = await app.CallAsync(from: "+15125550888");
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("goodbye"), speed: 4);
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId), 15000);
        }
        var call = await app.CallRowAsync(callId);
        var last = call.Turns.Last(t => t.Speaker == Speaker.Agent);
        Assert.Contains("sorry about the mix-up", last.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(AgentTools.EndCall, last.ToolCallsJson ?? "");
        // Neither a lead nor a failure: a completed call whose outcome says what happened.
        Assert.Equal((CallStatus.Completed, CallOutcome.WrongNumber), (call.Status, call.Outcome));
        Assert.Null(call.LeadId);
        Assert.False(await app.WithDbAsync(d => d.Leads.AnyAsync(l => l.Phone == "+15125550888")));
    }
}
