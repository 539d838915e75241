using System.Collections.Concurrent;

namespace EstateVoice.Server.Features.Voice.Tools;

/// <summary>
/// A thread-safe in-memory store with a few Texas listings: lets the voice loop run and be tested before (or
/// without) the database. The EF Core store replaces it in production.
/// </summary>
public sealed class InMemoryAgentDataStore(TimeProvider time) : IAgentDataStore
{
    private readonly Lock _gate = new();
    private readonly List<PropertySummary> _properties =
    [
        new(1, "1200 Barton Springs Rd", "Austin", "TX", 475_000m, 3, 2m, 1650, "House", "Active", "Updated kitchen near Zilker Park.", ["yard", "garage"]),
        new(2, "88 Rainey St Unit 1203", "Austin", "TX", 520_000m, 2, 2m, 1100, "Condo", "Active", "High-rise condo with lake views.", ["pool", "gym"]),
        new(3, "4410 Duval St", "Austin", "TX", 689_000m, 4, 3m, 2400, "House", "Active", "Hyde Park craftsman.", ["porch"]),
        new(4, "2300 McKinney Ave", "Dallas", "TX", 399_000m, 2, 2m, 1200, "Condo", "Active", "Uptown condo.", ["balcony"]),
        new(5, "715 Heights Blvd", "Houston", "TX", 560_000m, 3, 2.5m, 2100, "Townhouse", "Active", "Heights townhouse.", ["rooftop"]),
    ];
    private readonly Dictionary<int, LeadSnapshot> _leads = [];
    private readonly ConcurrentDictionary<int, ShowingRequest> _showings = new();
    private int _nextLead = 1;
    private int _nextShowing = 1;

    public IReadOnlyDictionary<int, ShowingRequest> Showings => _showings;

    public IReadOnlyList<LeadSnapshot> Leads
    {
        get { lock (_gate) return [.. _leads.Values]; }
    }

    public Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery q, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PropertySummary> result = _properties
                .Where(p => p.Status == "Active")
                .Where(p => q.City is null || string.Equals(p.City, q.City, StringComparison.OrdinalIgnoreCase))
                .Where(p => q.MinPrice is null || p.Price >= q.MinPrice)
                .Where(p => q.MaxPrice is null || p.Price <= q.MaxPrice)
                .Where(p => q.MinBedrooms is null || p.Bedrooms >= q.MinBedrooms)
                .Where(p => q.PropertyType is null || string.Equals(p.PropertyType, q.PropertyType, StringComparison.OrdinalIgnoreCase))
                .OrderBy(p => p.Price)
                .Take(q.Limit)
                .ToList();
            return Task.FromResult(result);
        }
    }

    public Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_properties.FirstOrDefault(p => p.Id == propertyId));
    }

    public Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<string>>([.. _properties.Select(p => p.City).Distinct()]);
    }

    public Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var lead = leadId is { } id && _leads.TryGetValue(id, out var byId) ? byId
                : _leads.Values.FirstOrDefault(l => phone is not null && l.Phone == phone);
            return Task.FromResult(lead);
        }
    }

    public Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string phone, LeadUpdate u, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = leadId is { } id && _leads.TryGetValue(id, out var byId) ? byId
                : _leads.Values.FirstOrDefault(l => l.Phone == phone);
            existing ??= new LeadSnapshot(_nextLead++, "Unknown caller", phone, null, null, null, null, [], null, null, false, null, "New");
            var updated = existing with
            {
                Name = u.Name ?? existing.Name,
                Intent = u.Intent ?? existing.Intent,
                BudgetMin = u.BudgetMin ?? existing.BudgetMin,
                BudgetMax = u.BudgetMax ?? existing.BudgetMax,
                Bedrooms = u.Bedrooms ?? existing.Bedrooms,
                Areas = u.Areas is { Count: > 0 } ? [.. existing.Areas.Union(u.Areas, StringComparer.OrdinalIgnoreCase)] : existing.Areas,
                Timeline = u.Timeline ?? existing.Timeline,
                PreApproved = u.PreApproved ?? existing.PreApproved,
                DoNotCall = u.DoNotCall ?? existing.DoNotCall,
            };
            _leads[updated.Id] = updated;
            return Task.FromResult(updated);
        }
    }

    public Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_leads.ContainsKey(request.LeadId)) return Task.FromResult(new ShowingResult(false, null, null, "unknown lead"));
            if (_properties.All(p => p.Id != request.PropertyId)) return Task.FromResult(new ShowingResult(false, null, null, "unknown property"));
            if (request.StartsAt < time.GetUtcNow()) return Task.FromResult(new ShowingResult(false, null, null, "that time is in the past"));
            var id = _nextShowing++;
            _showings[id] = request;
            return Task.FromResult(new ShowingResult(true, id, request.StartsAt, null));
        }
    }
}
