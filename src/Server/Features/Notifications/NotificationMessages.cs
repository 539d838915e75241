namespace EstateVoice.Server.Features.Notifications;

/// <summary>The wording and web link of each kind, in one place (the web app's paths: <c>web/src/config/paths.ts</c>).</summary>
public static class NotificationMessages
{
    public static NotificationMessage LeadAssigned(int agentId, int leadId, string leadName) =>
        new(agentId, NotificationKind.LeadAssigned, $"New lead assigned to you: {Name(leadName, "a lead")}", $"/leads/{leadId}");

    public static NotificationMessage ShowingBooked(int agentId, int leadId, string leadName, string address, DateTimeOffset startsAt) =>
        new(agentId, NotificationKind.ShowingBooked,
            $"Showing booked: {Name(leadName, "a lead")} at {address}, {startsAt.UtcDateTime:ddd d MMM HH:mm} UTC", $"/leads/{leadId}");

    public static NotificationMessage TransferMissed(int? userId, int callId, string callerPhone, string dialStatus) =>
        new(userId, NotificationKind.TransferMissed, $"Missed transfer from {callerPhone} ({dialStatus.Replace('-', ' ')})", $"/calls/{callId}");

    public static NotificationMessage CallbackRequested(int? agentId, int leadId, string leadName, string note) =>
        new(agentId, NotificationKind.CallbackRequested, $"{Name(leadName, "A caller")} asked for a callback: {note}", $"/leads/{leadId}");

    public static NotificationMessage CampaignFinished(int? userId, int campaignId, string campaignName) =>
        new(userId, NotificationKind.CampaignFinished, $"Campaign finished: {campaignName}", $"/campaigns/{campaignId}");

    private static string Name(string name, string fallback) => string.IsNullOrWhiteSpace(name) ? fallback : name.Trim();
}
