using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Features.Voice.Tools;

namespace EstateVoice.Server.Tests.Features.Leads;

/// <summary>The qualification rule and the intent words: one owner in Leads, used by the agent's tool and the offline agent.</summary>
public sealed class LeadQualificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static Lead NewLead() => new() { Name = "Maria", Phone = "+15125550142", Status = LeadStatus.New };

    [Fact]
    public void A_buyer_is_qualified_with_area_budget_and_timeline_or_pre_approval_a_seller_with_area_alone()
    {
        var buyer = NewLead();
        buyer.Intent = LeadIntent.Buy;
        buyer.PreferredAreas = ["Austin"];
        Assert.False(LeadQualification.IsQualified(buyer));
        buyer.BudgetMax = 500_000;
        Assert.False(LeadQualification.IsQualified(buyer));
        buyer.PreApproved = false;
        Assert.True(LeadQualification.IsQualified(buyer));
        buyer.DoNotCall = true;
        Assert.False(LeadQualification.IsQualified(buyer));

        var seller = NewLead();
        seller.Intent = LeadIntent.Sell;
        seller.PreferredAreas = ["Dallas"];
        Assert.True(LeadQualification.IsQualified(seller));
    }

    [Fact]
    public void Promote_moves_only_new_or_contacted_leads_and_stamps_the_date_once()
    {
        var lead = NewLead();
        lead.Intent = LeadIntent.Sell;
        lead.PreferredAreas = ["Dallas"];
        LeadQualification.Promote(lead, Now);
        Assert.Equal((LeadStatus.Qualified, Now), (lead.Status, lead.QualifiedAt));
        LeadQualification.Promote(lead, Now.AddDays(1));
        Assert.Equal(Now, lead.QualifiedAt);

        var lost = NewLead();
        lost.Status = LeadStatus.Lost;
        lost.Intent = LeadIntent.Sell;
        lost.PreferredAreas = ["Dallas"];
        LeadQualification.Promote(lost, Now);
        Assert.Equal(LeadStatus.Lost, lost.Status);
        Assert.Null(lost.QualifiedAt);
    }

    [Theory]
    [InlineData("buy", LeadIntent.Buy)]
    [InlineData(" Purchasing ", LeadIntent.Buy)]
    [InlineData("selling", LeadIntent.Sell)]
    [InlineData("rental", LeadIntent.Rent)]
    [InlineData("leasing", LeadIntent.Rent)]
    [InlineData("lease", LeadIntent.Rent)]
    public void Update_lead_and_the_offline_agent_read_the_same_intent_words(string word, LeadIntent expected)
    {
        var lead = NewLead();
        LeadUpdates.Apply(lead, new LeadUpdate(Intent: word), Now);
        Assert.Equal(expected, lead.Intent);
        Assert.Equal(LeadIntents.Name(expected), Understanding.Parse($"we are {word.Trim().ToLowerInvariant()} in Austin", ["Austin"], null).Intent);
    }

    [Fact]
    public void Update_lead_qualifies_by_the_leads_rule()
    {
        var lead = NewLead();
        LeadUpdates.Apply(lead, new LeadUpdate(Intent: "rent", Areas: ["Austin"], BudgetMax: 2_000, Timeline: "next month"), Now);
        Assert.Equal(LeadStatus.Qualified, lead.Status);
        Assert.Equal(Now, lead.QualifiedAt);
    }

    [Fact]
    public void Selling_outranks_renting_and_buying_when_a_caller_names_several()
    {
        Assert.Equal(LeadIntent.Sell, LeadIntents.Find(["sell", "my", "house", "and", "buy"]));
        Assert.Equal(LeadIntent.Rent, LeadIntents.Find(["buy", "or", "rent"]));
        Assert.Null(LeadIntents.Find(["hello"]));
        Assert.Null(LeadIntents.Parse("maybe"));
    }
}
