using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Agent;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Features.Voice.Tools;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>The offline agent on a call with a known lead: what the CRM knows is not asked again.</summary>
public sealed class LocalAgentKnownLeadTests
{
    private static readonly VoiceOptions Options = new() { AgencyName = "Lakeside Homes", Areas = ["Austin"] };
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero);

    private static readonly KnownLead Maria =
        new(7, "Maria Lopez", LeadIntent.Buy, ["Austin", "Round Rock"], 350_000m, 425_000m, 3, "within 3 months", true, LeadStatus.Qualified, null, false);

    [Fact]
    public void The_facts_written_into_the_instructions_read_back_the_same()
    {
        var facts = AgentInstructions.ReadFacts(AgentInstructions.Build(Options, Now, new CallerContext(CallDirection.Inbound, "+1", Maria, null, null)));
        Assert.Equal(("Maria Lopez", LeadIntent.Buy, 350_000m, 425_000m, 3, "within 3 months", true),
            (facts.Name, facts.Intent, facts.BudgetMin, facts.BudgetMax, facts.Bedrooms, facts.Timeline, facts.PreApproved));
        Assert.Equal(["Austin", "Round Rock"], facts.Areas);
        Assert.Equal(new KnownFacts(), AgentInstructions.ReadFacts(AgentInstructions.Build(Options, Now, CallerContext.Unknown("+1"))));
    }

    [Fact]
    public async Task A_returning_buyer_whose_facts_are_known_goes_straight_to_a_listing_search()
    {
        var context = new CallerContext(CallDirection.Inbound, "+15125550142", Maria, null, null);
        var response = await RespondAsync(context, "Hi, it's me again.");

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(AgentTools.SearchProperties, call.Name);
        Assert.Equal("Austin", call.Arguments!["city"]);
        Assert.Equal(3, call.Arguments["bedrooms"]);
        Assert.Equal(425_000m, call.Arguments["max_price"]);
    }

    [Fact]
    public async Task An_outbound_lead_who_cannot_talk_now_is_let_go_politely()
    {
        var context = new CallerContext(CallDirection.Outbound, "+15125550142", Maria, null, null);
        var response = await RespondAsync(context, "Sorry, not right now, I'm driving.");

        var end = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(AgentTools.EndCall, end.Name);
        Assert.Contains("another time", response.Text, StringComparison.Ordinal);
    }

    private static async Task<ChatResponse> RespondAsync(CallerContext context, string said)
    {
        using var agent = new LocalChatClient(new CitiesOnly(), Options, TimeProvider.System);
        return await agent.GetResponseAsync([
            new ChatMessage(ChatRole.System, AgentInstructions.Build(Options, Now, context)),
            new ChatMessage(ChatRole.Assistant, AgentInstructions.Greeting(Options, context)),
            new ChatMessage(ChatRole.User, said),
        ]);
    }

    private sealed class CitiesOnly : IAgentDataStore
    {
        public Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["Austin", "Round Rock"]);
        public Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string? phone, LeadUpdate update, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
