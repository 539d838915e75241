using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Voice.Agent;

/// <summary>
/// The caller's context from the CRM database: a few indexed reads in one short-lived scope, once per call (never per
/// turn). The lead is the one the call is linked to (the stream's admission links an inbound caller's number, an
/// outbound call is placed for a lead), else the most recently active lead with the party's number.
/// </summary>
public sealed class EfCallerContextSource(IServiceScopeFactory scopes, PhoneNormalizer phones) : ICallerContextSource
{
    /// <summary>Enough of the last call for the agent to pick up the thread, not a transcript to read out.</summary>
    private const int MaxSummary = 600;

    public async Task<CallerContext> LoadAsync(VoiceCall call, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Calls.AsNoTracking().Where(c => c.Id == call.Id)
            .Select(c => new
            {
                c.Direction, c.FromNumber, c.ToNumber, c.LeadId, c.Purpose,
                Campaign = c.CampaignId == null ? null : db.Campaigns.Where(k => k.Id == c.CampaignId)
                    .Select(k => new CampaignBrief(k.Name, k.Instructions)).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null) return CallerContext.Unknown(call.FromNumber);

        var phone = row.Direction == CallDirection.Outbound ? row.ToNumber : row.FromNumber;
        if (string.IsNullOrWhiteSpace(phone) || phone == EfVoiceCallStore.BrowserCaller) phone = null;
        var leadId = row.LeadId ?? call.LeadId;
        // Leads' phones are stored in E.164; Twilio's raw number is read the same way before comparing.
        if (leadId is null && phones.Normalize(phone) is { } e164)
        {
            leadId = await db.Leads.AsNoTracking().Where(l => l.Phone == e164)
                .OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id)
                .Select(l => (int?)l.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
        if (leadId is null) return new CallerContext(row.Direction, phone, null, null, row.Purpose) { Campaign = row.Campaign };

        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == leadId)
            .Select(l => new KnownLead(l.Id, l.Name, l.Intent, l.PreferredAreas, l.BudgetMin, l.BudgetMax, l.Bedrooms, l.Timeline,
                l.PreApproved, l.Status, l.AssignedAgent != null ? l.AssignedAgent.Name : null, l.DoNotCall))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (lead is null) return new CallerContext(row.Direction, phone, null, null, row.Purpose) { Campaign = row.Campaign };

        var last = await db.Calls.AsNoTracking()
            .Where(c => c.LeadId == lead.Id && c.Id != call.Id && c.EndedAt != null)
            .OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.StartedAt, c.Direction, c.Outcome, c.TranscriptSummary, c.TranscriptText })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var previous = last is null ? null
            : new PreviousCall(last.StartedAt, last.Direction, last.Outcome, Summarise(last.TranscriptSummary, last.TranscriptText));
        return new CallerContext(row.Direction, phone, lead, previous, row.Purpose) { Campaign = row.Campaign };
    }

    /// <summary>The written summary if there is one; else the end of the transcript, where a call's decisions usually are.</summary>
    private static string? Summarise(string? summary, string? transcript)
    {
        if (!string.IsNullOrWhiteSpace(summary)) return Clip(summary.Trim(), MaxSummary, fromEnd: false);
        if (string.IsNullOrWhiteSpace(transcript)) return null;
        return Clip(transcript.Trim(), MaxSummary, fromEnd: true);
    }

    private static string Clip(string text, int max, bool fromEnd)
    {
        if (text.Length <= max) return text;
        if (!fromEnd) return text[..max] + "…";
        var tail = text[^max..];
        // Start at a whole line ("Caller: ...") when one begins within the clipped tail.
        var line = tail.IndexOf('\n', StringComparison.Ordinal);
        return "…" + (line >= 0 && line < tail.Length - 1 ? tail[(line + 1)..] : tail);
    }
}
