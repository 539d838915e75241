namespace EstateVoice.Server.Features.Leads;

/// <summary>
/// When a lead counts as qualified — one rule for the voice agent's <c>update_lead</c>, the CRM's lead edits and
/// showing bookings, so a lead is qualified by the same facts whoever entered them.
/// </summary>
public static class LeadQualification
{
    /// <summary>
    /// Enough to hand to an agent: what they want and where, plus for buyers and renters a budget and either a
    /// timeline or a pre-approval answer. A do-not-call lead is never qualified: nobody may follow it up.
    /// </summary>
    public static bool IsQualified(Lead lead) =>
        lead.Intent is { } intent && lead.PreferredAreas.Count > 0 && !lead.DoNotCall
        && (intent == LeadIntent.Sell
            || (lead.BudgetMax is not null || lead.BudgetMin is not null) && (lead.Timeline is not null || lead.PreApproved is not null));

    /// <summary>
    /// Moves a New or Contacted lead that meets the rule to Qualified (a lead further along the pipeline, or one a
    /// person set on purpose, keeps its status) and records when it first got there.
    /// </summary>
    public static void Promote(Lead lead, DateTimeOffset now)
    {
        if (lead.Status is LeadStatus.New or LeadStatus.Contacted && IsQualified(lead)) lead.Status = LeadStatus.Qualified;
        Track(lead, now);
    }

    /// <summary>From the moment a lead reaches Qualified (or skips past it) it counts as qualified, once.</summary>
    public static void Track(Lead lead, DateTimeOffset now)
    {
        if (lead.QualifiedAt is null && lead.Status is LeadStatus.Qualified or LeadStatus.Showing or LeadStatus.Offer or LeadStatus.Won)
            lead.QualifiedAt = now;
    }
}
