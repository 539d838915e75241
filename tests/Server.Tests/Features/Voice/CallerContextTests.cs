using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// End to end: what the agent is told and says first depends on who is on the line — a returning caller's lead and
/// last call, an outbound call's lead and purpose — read from the real database when the stream starts.
/// </summary>
public sealed class CallerContextTests
{
    private const string MariasPhone = "+15125550142";

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_returning_callers_facts_and_last_call_reach_the_agent_and_the_greeting_uses_their_name(Db db)
    {
        var chat = new RecordingChat();
        await using var app = await VoiceAppFactory.CreateAsync(db, new ScriptedSpeechToText("Hi, it's me again."), new ToneTextToSpeech(msPerWord: 10), chat);
        var agent = await app.CreateUserAsync(UserRole.Agent);
        var leadId = await AddMariaAsync(app, agent.Id);
        await AddEndedCallAsync(app, leadId, DateTimeOffset.UtcNow.AddDays(-3), "Older call that should not be used.");
        await AddEndedCallAsync(app, leadId, DateTimeOffset.UtcNow.AddDays(-1), "Maria booked a showing of 1200 Barton Springs Rd for Saturday.");

        var (caller, _) = await app.CallAsync(from: MariasPhone);
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
        }

        var request = chat.Requests.First();
        var system = request[0].Text;
        Assert.Equal(ChatRole.System, request[0].Role);
        foreach (var fact in new[] { "Name: Maria Lopez", "Wants to: buy", "Areas: Austin", "Budget: up to $450,000", "Bedrooms: 3",
                     "Timeline: within 3 months", "Mortgage pre-approval: yes", "Status in our pipeline: contacted", "Their agent: " + agent.Name })
            Assert.Contains("- " + fact, system);
        Assert.Contains("Maria booked a showing of 1200 Barton Springs Rd for Saturday.", system);
        Assert.DoesNotContain("Older call", system);
        Assert.Equal("Hi Maria, welcome back to Estate Voice Realty. How can I help you today?",
            request.First(m => m.Role == ChatRole.Assistant).Text);
    }

    [Fact]
    public async Task An_outbound_call_opens_with_the_lead_and_the_purpose_and_the_agent_saves_facts_on_that_lead()
    {
        var chat = new RecordingChat { UpdateLeadOnFirstTurn = true };
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, new ScriptedSpeechToText("Yes, now is fine."), new ToneTextToSpeech(msPerWord: 10), chat);
        var leadId = await AddMariaAsync(app, agentId: null);
        var (callId, token) = await app.WithDbAsync(async d =>
        {
            var now = DateTimeOffset.UtcNow;
            var token = StreamTokens.Create();
            var call = new Call
            {
                CallSid = "CA" + Guid.NewGuid().ToString("N"), Direction = CallDirection.Outbound, FromNumber = "+15125550000", ToNumber = MariasPhone,
                Status = CallStatus.Ringing, StartedAt = now, StreamTokenHash = StreamTokens.Hash(token), LeadId = leadId,
                Purpose = "the price drop on 1200 Barton Springs Rd", CreatedAt = now, UpdatedAt = now,
            };
            d.Calls.Add(call);
            await d.SaveChangesAsync();
            return (call.Id, token);
        });

        var caller = new SimulatedCall();
        await using (caller)
        {
            await caller.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
            await caller.StartAsync(callId, token);
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
        }

        var request = chat.Requests.First();
        Assert.Equal("Hi Maria, this is the virtual assistant from Estate Voice Realty, calling about the price drop on 1200 Barton Springs Rd. Is now a good time to talk?",
            request.First(m => m.Role == ChatRole.Assistant).Text);
        Assert.Contains("outbound call: you called Maria", request[0].Text);
        // The lead is the callee: a fact the agent saves lands on Maria, not on a lead for our own number.
        await caller.WaitUntilAsync(() => app.WithDbAsync(d => d.Leads.AnyAsync(l => l.Id == leadId && l.Bedrooms == 4)));
        Assert.False(await app.WithDbAsync(d => d.Leads.AnyAsync(l => l.Phone == "+15125550000")));
    }

    [Fact]
    public async Task A_browser_test_call_has_no_number_and_matches_no_lead()
    {
        var chat = new RecordingChat();
        await using var app = await VoiceAppFactory.CreateAsync(Db.Sqlite, new ScriptedSpeechToText(), new ToneTextToSpeech(msPerWord: 10), chat);
        // Leads a careless match could find: a test call's lead (no phone) and one whose "phone" is the browser label.
        await app.WithDbAsync(async d =>
        {
            var now = DateTimeOffset.UtcNow;
            d.Leads.Add(new Lead { Name = "Test caller", Phone = "", Intent = LeadIntent.Rent, Status = LeadStatus.New, CreatedAt = now, UpdatedAt = now });
            d.Leads.Add(new Lead { Name = "Brenda Browser", Phone = "browser", Intent = LeadIntent.Sell, Status = LeadStatus.New, CreatedAt = now, UpdatedAt = now });
            await d.SaveChangesAsync();
        });
        var user = await app.CreateUserAsync(UserRole.Agent);
        var accessToken = await app.AccessTokenAsync(user);
        var caller = new SimulatedCall();
        await using (caller)
        {
            await caller.ConnectAsync(new Uri(app.WebSocketUri(MediaStreamEndpoint.BrowserPath) + "?access_token=" + Uri.EscapeDataString(accessToken)));
            await caller.StartAsync(0, "");
            await caller.WaitForAgentToFinishAsync();
            await caller.SendTextAsync("Hello there");
            await caller.WaitUntilAsync(() => !chat.Requests.IsEmpty);
        }

        var request = chat.Requests.First();
        Assert.DoesNotContain("Facts from our CRM", request[0].Text);
        Assert.DoesNotContain("Brenda", request[0].Text);
        Assert.Equal("Thanks for calling Estate Voice Realty. How can I help you today?", request.First(m => m.Role == ChatRole.Assistant).Text);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_caller_whose_number_Twilio_sends_in_another_format_still_finds_their_lead(Db db)
    {
        var chat = new RecordingChat();
        await using var app = await VoiceAppFactory.CreateAsync(db, new ScriptedSpeechToText("Hi, it's me again."), new ToneTextToSpeech(msPerWord: 10), chat);
        var leadId = await AddMariaAsync(app, null);

        var (caller, callId) = await app.CallAsync(from: "(512) 555-0142"); // no country code, punctuated: the same number
        await using (caller) await caller.WaitForAgentToFinishAsync();

        Assert.Equal(leadId, await app.WithDbAsync(d => d.Calls.Where(c => c.Id == callId).Select(c => c.LeadId).SingleAsync()));

        // An outbound call placed to the number as typed elsewhere, with no lead linked: the context source finds her too.
        var outbound = await app.WithDbAsync(async d =>
        {
            var now = DateTimeOffset.UtcNow;
            var call = new Call
            {
                CallSid = "CA" + Guid.NewGuid().ToString("N"), Direction = CallDirection.Outbound, FromNumber = "+15125550000", ToNumber = "1 512 555 0142",
                Status = CallStatus.InProgress, StartedAt = now, CreatedAt = now, UpdatedAt = now,
            };
            d.Calls.Add(call);
            await d.SaveChangesAsync();
            return call;
        });
        var context = await app.Services.GetRequiredService<EstateVoice.Server.Features.Voice.Agent.ICallerContextSource>()
            .LoadAsync(new EstateVoice.Server.Features.Voice.Calls.VoiceCall(outbound.Id, outbound.CallSid, outbound.FromNumber, null, null), CancellationToken.None);
        Assert.Equal("Maria Lopez", context.Lead?.Name);
    }

    private static Task<int> AddMariaAsync(VoiceAppFactory app, int? agentId) => app.WithDbAsync(async d =>
    {
        var now = DateTimeOffset.UtcNow;
        var lead = new Lead
        {
            Name = "Maria Lopez", Phone = MariasPhone, Status = LeadStatus.Contacted, Intent = LeadIntent.Buy, PreferredAreas = ["Austin"],
            BudgetMax = 450_000m, Bedrooms = 3, Timeline = "within 3 months", PreApproved = true, AssignedAgentId = agentId,
            ConsentToCall = true, Notes = "Private note the agent must not read out.", CreatedAt = now, UpdatedAt = now,
        };
        d.Leads.Add(lead);
        await d.SaveChangesAsync();
        return lead.Id;
    });

    private static Task AddEndedCallAsync(VoiceAppFactory app, int leadId, DateTimeOffset startedAt, string summary) => app.WithDbAsync(async d =>
    {
        d.Calls.Add(new Call
        {
            CallSid = "CA" + Guid.NewGuid().ToString("N"), Direction = CallDirection.Inbound, FromNumber = MariasPhone, Status = CallStatus.Completed,
            StartedAt = startedAt, EndedAt = startedAt.AddMinutes(3), Outcome = CallOutcome.ShowingBooked, TranscriptSummary = summary,
            LeadId = leadId, CreatedAt = startedAt, UpdatedAt = startedAt,
        });
        await d.SaveChangesAsync();
    });

    /// <summary>Records every request (system prompt and history) and answers briefly; optionally saves a fact on the first turn.</summary>
    private sealed class RecordingChat : IChatClient
    {
        public ConcurrentQueue<IReadOnlyList<ChatMessage>> Requests { get; } = new();
        public bool UpdateLeadOnFirstTurn { get; init; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var history = messages.ToList();
            Requests.Enqueue(history);
            if (UpdateLeadOnFirstTurn && history[^1].Role == ChatRole.User && !history.Any(m => m.Role == ChatRole.Tool))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant,
                    [new FunctionCallContent("c1", AgentTools.UpdateLead, new Dictionary<string, object?> { ["bedrooms"] = 4 })]);
                yield break;
            }
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Sure. ");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
