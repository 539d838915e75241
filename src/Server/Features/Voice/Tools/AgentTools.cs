using System.ComponentModel;
using System.Globalization;
using EstateVoice.Server.Features.Notifications;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice.Tools;

/// <summary>
/// The agent's tools, backed by the database (never invented data). One instance per call: the call's facts tell
/// update_lead and book_showing who the caller is, and the tools report what they establish (a lead, a booking, a
/// do-not-call request, a message) as typed facts the session applies — they keep no call state of their own.
/// transfer_to_human and end_call only acknowledge: the agent stage sees them called and hands the call over or
/// ends it once its words are spoken.
/// </summary>
public sealed class AgentTools(IAgentDataStore store, ICallFacts call, TimeProvider time, INotifier? notifier = null)
{
    public const string SearchProperties = "search_properties";
    public const string GetPropertyDetails = "get_property_details";
    public const string UpdateLead = "update_lead";
    public const string BookShowing = "book_showing";
    public const string TransferToHuman = "transfer_to_human";
    public const string EndCall = "end_call";
    public const string TakeMessage = "take_message";

    public IList<AITool> Create() =>
    [
        AIFunctionFactory.Create(SearchAsync, SearchProperties, "Search active listings. Use before describing any property."),
        AIFunctionFactory.Create(DetailsAsync, GetPropertyDetails, "Full details of one listing by id."),
        AIFunctionFactory.Create(UpdateLeadAsync, UpdateLead, "Save what the caller told you (creates their lead from the caller's number if unknown). Set do_not_call when they ask not to be called again."),
        AIFunctionFactory.Create(BookAsync, BookShowing, "Book a showing of a listing for the caller."),
        AIFunctionFactory.Create(Transfer, TransferToHuman, "Connect the caller with a human agent (when they ask for a person)."),
        AIFunctionFactory.Create(End, EndCall, "End the call after saying goodbye (with wrong_number when the caller reached us by mistake)."),
        AIFunctionFactory.Create(TakeMessageAsync, TakeMessage, "Leave a message for a person to call the caller back (when nobody could take a transfer, or the caller asks for a callback)."),
    ];

    public async Task<object> SearchAsync(
        [Description("City name")] string? city = null,
        [Description("Maximum price in US dollars")] decimal? max_price = null,
        [Description("Minimum price in US dollars")] decimal? min_price = null,
        [Description("Minimum number of bedrooms")] int? bedrooms = null,
        [Description("House, Condo, Townhouse, Apartment, MultiFamily or Land")] string? property_type = null,
        CancellationToken cancellationToken = default)
    {
        var found = await store.SearchPropertiesAsync(new PropertyQuery(city, min_price, max_price, bedrooms, property_type), cancellationToken).ConfigureAwait(false);
        return new
        {
            count = found.Count,
            properties = found.Select(p => new { id = p.Id, address = p.Address, city = p.City, price = p.Price, bedrooms = p.Bedrooms, bathrooms = p.Bathrooms, type = p.PropertyType }),
        };
    }

    public async Task<object> DetailsAsync([Description("Listing id from search_properties")] int property_id, CancellationToken cancellationToken = default)
    {
        var p = await store.GetPropertyAsync(property_id, cancellationToken).ConfigureAwait(false);
        return p is null ? new { error = "no such property" } : p;
    }

    public async Task<object> UpdateLeadAsync(
        string? name = null,
        [Description("buy, sell or rent")] string? intent = null,
        decimal? budget_min = null,
        decimal? budget_max = null,
        int? bedrooms = null,
        [Description("Preferred cities or neighbourhoods")] string[]? areas = null,
        [Description("When they want to move, e.g. 'within 3 months'")] string? timeline = null,
        bool? pre_approved = null,
        bool? do_not_call = null,
        string? notes = null,
        CancellationToken cancellationToken = default)
    {
        if (call.IsTestCall) return TestCallNotSaved(new { saved = true });
        var lead = await store.UpsertLeadAsync(call.LeadId, call.CallerPhone,
            new LeadUpdate(name, intent, budget_min, budget_max, bedrooms, areas, timeline, pre_approved, do_not_call, notes),
            cancellationToken).ConfigureAwait(false);
        call.Report(do_not_call == true ? new LeadMarkedDoNotCall(lead.Id) : new LeadIdentified(lead.Id));
        return new { lead_id = lead.Id, saved = true };
    }

    public async Task<object> BookAsync(
        [Description("Listing id")] int property_id,
        [Description("Start time, ISO 8601 with offset, e.g. 2025-06-07T10:00:00-05:00")] string starts_at,
        CancellationToken cancellationToken = default)
    {
        if (!DateTimeOffset.TryParse(starts_at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
            return new { booked = false, error = "starts_at is not a date and time" };
        if (call.IsTestCall)
        {
            // The agent's side of a booking is tried (the listing must exist); nothing lands in the team's calendar.
            var listing = await store.GetPropertyAsync(property_id, cancellationToken).ConfigureAwait(false);
            return listing is null ? new { booked = false, error = "no such property" } : TestCallNotSaved(new { booked = true, starts_at = start });
        }
        var leadId = call.LeadId ?? await NewLeadAsync(cancellationToken).ConfigureAwait(false);
        var result = await store.BookShowingAsync(new ShowingRequest(leadId, property_id, start, call.CallId, "Booked by the voice agent"), cancellationToken).ConfigureAwait(false);
        if (result.Booked) call.Report(new ShowingWasBooked(leadId, result.ShowingId));
        if (result.FreeSlots is { } free) return new { booked = false, error = result.Error, free_slots = free, offer = result.Offer };
        return new { booked = result.Booked, showing_id = result.ShowingId, starts_at = result.StartsAt, error = result.Error };
    }

    private async Task<int> NewLeadAsync(CancellationToken cancellationToken)
    {
        var lead = await store.UpsertLeadAsync(null, call.CallerPhone, new LeadUpdate(), cancellationToken).ConfigureAwait(false);
        call.Report(new LeadIdentified(lead.Id));
        return lead.Id;
    }

    /// <summary>A callback note on the caller's lead and a follow-up task for its agent: a person sees it and calls back.</summary>
    public async Task<object> TakeMessageAsync(
        [Description("The caller's message, in a sentence or two")] string message,
        [Description("When they would like to be called back, if they said")] string? callback_time = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(message)) return new { saved = false, error = "message is empty" };
        var when = string.IsNullOrWhiteSpace(callback_time) ? "" : $" (call back: {callback_time.Trim()})";
        var note = $"Callback requested{when}: {message.Trim()}";
        if (call.IsTestCall) return TestCallNotSaved(new { saved = true });
        var lead = await store.UpsertLeadAsync(call.LeadId, call.CallerPhone, new LeadUpdate(Notes: note, Callback: note), cancellationToken).ConfigureAwait(false);
        call.Report(new MessageTaken(lead.Id, note));
        if (notifier is not null)
            await notifier.PublishAsync(NotificationMessages.CallbackRequested(lead.AssignedAgentId, lead.Id, lead.Name, note), cancellationToken).ConfigureAwait(false);
        return new { saved = true, lead_id = lead.Id };
    }

    /// <summary>
    /// A test call's lead update, booking or message: answered as done so the conversation goes on as it would, but
    /// saved nowhere (a test caller is not a lead). The model is told, should the tester ask.
    /// </summary>
    private static object TestCallNotSaved(object result) => new { result, test_call = true, note = "Test call: nothing was saved." };

    public static object Transfer(
        [Description("Why the caller wants a person")] string? reason = null,
        [Description("One sentence for the person taking the call: who is calling and what they want")] string? summary = null) =>
        new { transferring = true, reason, summary };

    public object End(
        [Description("Why the call ends")] string? reason = null,
        [Description("True when the caller reached us by mistake, or the person who answered is not the one we called")] bool wrong_number = false)
    {
        if (wrong_number) call.Report(new WrongNumberReached());
        return new { ending = true, reason, at = time.GetUtcNow() };
    }
}
