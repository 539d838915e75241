using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Voice.Tools;

/// <summary>What <c>update_lead</c> does to a lead row: only the facts the caller gave change; nothing is erased.</summary>
public static class LeadUpdates
{
    private const int MaxName = 200;
    private const int MaxTimeline = 100;
    private const int MaxNotes = 4000;
    private const int MaxAreas = 20;

    public static void Apply(Lead lead, LeadUpdate u, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(u.Name)) lead.Name = Clip(u.Name.Trim(), MaxName);
        if (LeadIntents.Parse(u.Intent) is { } intent) lead.Intent = intent;
        if (u.BudgetMin is >= 0) lead.BudgetMin = u.BudgetMin;
        if (u.BudgetMax is >= 0) lead.BudgetMax = u.BudgetMax;
        if (u.Bedrooms is >= 0 and <= 100) lead.Bedrooms = u.Bedrooms;
        if (u.Areas is { Count: > 0 })
        {
            // A new list, not an in-place Add: the change tracker compares primitive collections by snapshot.
            lead.PreferredAreas = [.. lead.PreferredAreas
                .Concat(u.Areas.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()))
                .Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxAreas)];
        }
        if (!string.IsNullOrWhiteSpace(u.Timeline)) lead.Timeline = Clip(u.Timeline.Trim(), MaxTimeline);
        if (u.PreApproved is { } preApproved) lead.PreApproved = preApproved;
        if (!string.IsNullOrWhiteSpace(u.Email) && u.Email.Contains('@', StringComparison.Ordinal) && u.Email.Length <= 254) lead.Email = u.Email.Trim();
        if (!string.IsNullOrWhiteSpace(u.Notes))
            lead.Notes = Clip(string.IsNullOrEmpty(lead.Notes) ? u.Notes.Trim() : lead.Notes + "\n" + u.Notes.Trim(), MaxNotes);
        if (u.DoNotCall is { } doNotCall)
        {
            lead.DoNotCall = doNotCall;
            if (doNotCall) lead.ConsentToCall = false;
        }
        LeadQualification.Promote(lead, now);
        lead.UpdatedAt = now;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
