namespace EstateVoice.Server.Features.Voice.Tools;

/// <summary>The database facts the agent's tools read and write. Everything the agent says about a listing comes from here.</summary>
public interface IAgentDataStore
{
    Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery query, CancellationToken cancellationToken);
    Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken);
    /// <summary>Cities with active listings, for the local agent's recogniser and parser.</summary>
    Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken);
    Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken);
    /// <summary>
    /// Updates the lead, creating it from the caller's number when unknown. Without a number (a browser test call)
    /// only <paramref name="leadId"/> matches, and a new lead has no phone and is marked as from a test call.
    /// </summary>
    Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string? phone, LeadUpdate update, CancellationToken cancellationToken);
    Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken);
}

public sealed record PropertyQuery(string? City, decimal? MinPrice, decimal? MaxPrice, int? MinBedrooms, string? PropertyType, int Limit = 3);

public sealed record PropertySummary(
    int Id, string Address, string City, string State, decimal Price, int Bedrooms, decimal Bathrooms,
    int SquareFeet, string PropertyType, string Status, string? Description, IReadOnlyList<string> Features);

public sealed record LeadUpdate(
    string? Name = null, string? Intent = null, decimal? BudgetMin = null, decimal? BudgetMax = null,
    int? Bedrooms = null, IReadOnlyList<string>? Areas = null, string? Timeline = null, bool? PreApproved = null,
    bool? DoNotCall = null, string? Notes = null, string? Email = null,
    /// <summary>The caller asked to be called back: a follow-up task for the lead's agent, with this title.</summary>
    string? Callback = null);

public sealed record LeadSnapshot(
    int Id, string Name, string Phone, string? Intent, decimal? BudgetMin, decimal? BudgetMax, int? Bedrooms,
    IReadOnlyList<string> Areas, string? Timeline, bool? PreApproved, bool DoNotCall, int? AssignedAgentId, string Status);

public sealed record ShowingRequest(int LeadId, int PropertyId, DateTimeOffset StartsAt, int? CallId, string? Notes);

/// <summary>A refused booking may carry the agent's free starts that day and a sentence offering them.</summary>
public sealed record ShowingResult(bool Booked, int? ShowingId, DateTimeOffset? StartsAt, string? Error,
    IReadOnlyList<DateTimeOffset>? FreeSlots = null, string? Offer = null);
