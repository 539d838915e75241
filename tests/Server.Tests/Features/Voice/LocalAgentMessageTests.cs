using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Tasks;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// The offline agent (no cloud keys) takes a message with <c>take_message</c>: when the caller asks for a callback,
/// and when nobody could take a transfer and the caller accepts the offer — so a callback note lands on the lead.
/// </summary>
public sealed class LocalAgentMessageTests
{
    private static readonly VoiceOptions Options = new() { AgencyName = "Lakeside Homes" };
    private const string Message = "Please ask Sarah to ring me about the house on Elm Street after five.";

    [Fact]
    public async Task A_caller_who_asks_for_a_callback_is_asked_for_the_message_and_the_answer_is_saved_with_take_message()
    {
        using var agent = new LocalChatClient(new NoAgentData(), Options, TimeProvider.System);
        List<ChatMessage> history =
        [
            new(ChatRole.System, "instructions"),
            new(ChatRole.Assistant, Options.EffectiveGreeting),
            new(ChatRole.User, "Could someone call me back tomorrow?"),
        ];
        var ask = await agent.GetResponseAsync(history);
        Assert.Equal(LocalChatClient.MessagePrompt, ask.Text.Trim());
        Assert.Empty(ask.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());

        history.Add(new(ChatRole.Assistant, ask.Text)); // as streamed, trailing space and all
        history.Add(new(ChatRole.User, Message));
        var take = await agent.GetResponseAsync(history);
        var call = Assert.Single(take.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(AgentTools.TakeMessage, call.Name);
        Assert.Equal(Message, call.Arguments!["message"]?.ToString());
    }

    [Theory]
    [InlineData("Yes please.", false)]
    [InlineData(Message, true)]
    public async Task After_a_failed_transfer_a_yes_gets_the_question_and_a_message_is_taken_at_once(string answer, bool takenAtOnce)
    {
        using var agent = new LocalChatClient(new NoAgentData(), Options, TimeProvider.System);
        var response = await agent.GetResponseAsync([
            new(ChatRole.System, "instructions"),
            new(ChatRole.User, "Can I talk to a real person, please?"),
            new(ChatRole.Assistant, Options.TransferFailedLine),
            new(ChatRole.User, answer),
        ]);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        if (takenAtOnce)
            Assert.Equal(AgentTools.TakeMessage, Assert.Single(calls).Name);
        else
            Assert.Equal((LocalChatClient.MessagePrompt, 0), (response.Text.Trim(), calls.Count));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_transfer_nobody_takes_ends_with_a_callback_note_on_the_lead(Db db)
    {
        const string from = "+15125550166";
        var stt = new ScriptedSpeechToText("Can I talk to a real person, please?", "Yes please.", Message);
        await using var app = await VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));
        app.CallControl.RefuseWith = "busy";
        var (caller, callId) = await app.CallAsync(from);
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Load("ask-human"), speed: 4);
            await caller.WaitUntilAsync(() => HasAgentTurnAsync(app, callId, Options.TransferFailedLine));
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("caller-name"));
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("pre-approved"));
            await caller.WaitUntilAsync(() => HasAgentTurnAsync(app, callId, "Thank you, I've passed that on"));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var call = await app.CallRowAsync(callId);
        Assert.Equal((CallStatus.Completed, CallOutcome.TransferFailed), (call.Status, call.Outcome));
        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Phone == from));
        Assert.Contains("Callback requested: " + Message, lead.Notes);
        Assert.Equal(lead.Id, call.LeadId);
        // ...and a follow-up task for the lead's agent (none yet: unassigned), due at once.
        var task = await app.WithDbAsync(d => d.Set<FollowUpTask>().AsNoTracking().SingleAsync(t => t.LeadId == lead.Id));
        Assert.Equal(("Callback requested: " + Message, (int?)null, false), (task.Title, task.AssigneeId, task.Done));
        Assert.NotNull(task.DueAt);
    }

    private static Task<bool> HasAgentTurnAsync(VoiceAppFactory app, int callId, string text) =>
        app.WithDbAsync(d => d.CallTurns.AnyAsync(t => t.CallId == callId && t.Speaker == Speaker.Agent && t.Text.Contains(text)));
}
