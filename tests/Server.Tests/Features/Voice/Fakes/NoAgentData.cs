using EstateVoice.Server.Features.Voice.Tools;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>An empty agency (one city, no listings, no leads) behind the offline agent, for tests that only talk to it.</summary>
public sealed class NoAgentData : IAgentDataStore
{
    public Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<PropertySummary>>([]);
    public Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken) => Task.FromResult<PropertySummary?>(null);
    public Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["Austin"]);
    public Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken) => Task.FromResult<LeadSnapshot?>(null);
    public Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string? phone, LeadUpdate update, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
}
