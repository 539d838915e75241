using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice.Tools;

/// <summary>
/// The agent's tools, backed by the database (never invented data). One instance per call: the call context
/// tells update_lead and book_showing who the caller is.
/// </summary>
public sealed class AgentTools(IAgentDataStore store, AgentCallContext call, TimeProvider time)
{
    public const string SearchProperties = "search_properties";
    public const string GetPropertyDetails = "get_property_details";
    public const string UpdateLead = "update_lead";
    public const string BookShowing = "book_showing";
    public const string TransferToHuman = "transfer_to_human";
    public const string EndCall = "end_call";

    public IList<AITool> Create() =>
    [
        AIFunctionFactory.Create(SearchAsync, SearchProperties, "Search active listings. Use before describing any property."),
        AIFunctionFactory.Create(DetailsAsync, GetPropertyDetails, "Full details of one listing by id."),
        AIFunctionFactory.Create(UpdateLeadAsync, UpdateLead, "Save what the caller told you (creates their lead from the caller's number if unknown). Set do_not_call when they ask not to be called again."),
        AIFunctionFactory.Create(BookAsync, BookShowing, "Book a showing of a listing for the caller."),
        AIFunctionFactory.Create(Transfer, TransferToHuman, "Connect the caller with a human agent (when they ask for a person)."),
        AIFunctionFactory.Create(End, EndCall, "End the call after saying goodbye."),
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
        var lead = await store.UpsertLeadAsync(call.LeadId, call.CallerPhone,
            new LeadUpdate(name, intent, budget_min, budget_max, bedrooms, areas, timeline, pre_approved, do_not_call, notes),
            cancellationToken).ConfigureAwait(false);
        call.LeadId = lead.Id;
        return new { lead_id = lead.Id, saved = true };
    }

    public async Task<object> BookAsync(
        [Description("Listing id")] int property_id,
        [Description("Start time, ISO 8601 with offset, e.g. 2025-06-07T10:00:00-05:00")] string starts_at,
        CancellationToken cancellationToken = default)
    {
        if (!DateTimeOffset.TryParse(starts_at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
            return new { booked = false, error = "starts_at is not a date and time" };
        if (call.LeadId is null)
        {
            var lead = await store.UpsertLeadAsync(null, call.CallerPhone, new LeadUpdate(), cancellationToken).ConfigureAwait(false);
            call.LeadId = lead.Id;
        }
        var result = await store.BookShowingAsync(new ShowingRequest(call.LeadId.Value, property_id, start, call.CallId, "Booked by the voice agent"), cancellationToken).ConfigureAwait(false);
        if (result.Booked) call.ShowingBooked = true;
        return new { booked = result.Booked, showing_id = result.ShowingId, starts_at = result.StartsAt, error = result.Error };
    }

    public object Transfer([Description("Why the caller wants a person")] string? reason = null)
    {
        call.PendingAction = AgentAction.Transfer;
        call.ActionReason = reason ?? "caller asked for a person";
        return new { transferring = true };
    }

    public object End([Description("Why the call ends")] string? reason = null)
    {
        call.PendingAction = AgentAction.EndCall;
        call.ActionReason = reason ?? "conversation finished";
        return new { ending = true, at = time.GetUtcNow() };
    }
}
