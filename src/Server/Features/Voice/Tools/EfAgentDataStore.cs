using System.Globalization;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Leads.Routing;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Features.Tasks;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Voice.Tools;

/// <summary>
/// The agent's tools over the CRM database: listings through the same filters as <c>GET /properties/</c>, leads
/// matched by the caller's number, showings through <see cref="ShowingBooking"/> so the agent obeys the staff rules.
/// One short-lived scope per operation: a call lasts minutes, a DbContext should not.
/// </summary>
public sealed class EfAgentDataStore(IServiceScopeFactory scopes, TimeProvider time) : IAgentDataStore
{
    private const int MaxResults = 10;
    private static readonly TimeSpan CitiesFreshFor = TimeSpan.FromSeconds(30);
    private (IReadOnlyList<string> Cities, DateTimeOffset At)? _cities;

    public async Task<IReadOnlyList<PropertySummary>> SearchPropertiesAsync(PropertyQuery query, CancellationToken cancellationToken)
    {
        var search = new PropertySearchQuery
        {
            City = string.IsNullOrWhiteSpace(query.City) ? null : query.City.Trim(),
            // A model's out-of-range number is dropped rather than failing the whole search.
            MinPrice = query.MinPrice is >= 0 ? query.MinPrice : null,
            MaxPrice = query.MaxPrice is >= 0 ? query.MaxPrice : null,
            Bedrooms = query.MinBedrooms is >= 0 and <= 100 ? query.MinBedrooms : null,
            Status = SnakeCaseEnum.Name(PropertyStatus.Active),
            PropertyType = ParseType(query.PropertyType) is { } type ? SnakeCaseEnum.Name(type) : null,
        };
        if (search.MinPrice > search.MaxPrice) (search.MinPrice, search.MaxPrice) = (search.MaxPrice, search.MinPrice);
        if (search.City?.Length > 100) return [];

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var errors = new QueryErrors();
        var filtered = PropertySearch.Filter(db.Properties.AsNoTracking(), search, errors);
        if (errors.Any) return [];
        // Cheapest first: the caller gave a ceiling, so the listings furthest under it are the safest offer.
        return await filtered.OrderBy(p => p.Price).ThenBy(p => p.Id).Take(Math.Clamp(query.Limit, 1, MaxResults))
            .Select(Projection).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<PropertySummary?> GetPropertyAsync(int propertyId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Properties.AsNoTracking().Where(p => p.Id == propertyId).Select(Projection)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GetCitiesAsync(CancellationToken cancellationToken)
    {
        // Asked on every agent turn by the local agent; listings change far more slowly than callers talk.
        var now = time.GetUtcNow();
        if (_cities is { } cached && now - cached.At < CitiesFreshFor) return cached.Cities;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        IReadOnlyList<string> cities = await db.Properties.AsNoTracking().Where(p => p.Status == PropertyStatus.Active)
            .Select(p => p.City).Distinct().OrderBy(c => c).ToListAsync(cancellationToken).ConfigureAwait(false);
        _cities = (cities, now);
        return cities;
    }

    public async Task<LeadSnapshot?> FindLeadAsync(int? leadId, string? phone, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var lead = await FindAsync(db.Leads.AsNoTracking(), leadId, phone, cancellationToken).ConfigureAwait(false);
        return lead is null ? null : Snapshot(lead);
    }

    public async Task<LeadSnapshot> UpsertLeadAsync(int? leadId, string? phone, LeadUpdate update, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var lead = await FindAsync(db.Leads, leadId, phone, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Lead> routed = [];
        var router = scope.ServiceProvider.GetRequiredService<LeadRouter>();
        if (lead is null)
        {
            lead = phone is null ? NewTestCallLead(now) : new Lead
            {
                Name = "Unknown caller", Phone = phone, Source = LeadSource.InboundCall, Status = LeadStatus.New,
                ConsentToCall = true, CreatedAt = now, UpdatedAt = now,
            };
            db.Leads.Add(lead);
            routed = await router.RouteAsync([lead], cancellationToken).ConfigureAwait(false);
        }
        var wasDoNotCall = lead.DoNotCall;
        LeadUpdates.Apply(lead, update, now);
        if (update.Callback is { Length: > 0 } callback) db.Add(FollowUpTask.Callback(lead, callback, now));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await router.NotifyAsync(routed, cancellationToken).ConfigureAwait(false);
        // "Stop calling me" puts the number itself on the team's list (and cancels queued attempts), not only this lead row.
        if (update.DoNotCall == true && !wasDoNotCall && lead.Phone.Length > 0)
        {
            await scope.ServiceProvider.GetRequiredService<DoNotCallList>().AddAsync(lead.Phone, DoNotCallSources.Caller,
                "Asked not to be called again, on a call with the voice agent.", null, lead.Id, cancellationToken).ConfigureAwait(false);
        }
        return Snapshot(lead);
    }

    public async Task<ShowingResult> BookShowingAsync(ShowingRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var booking = scope.ServiceProvider.GetRequiredService<ShowingBooking>();
        var result = await booking.BookAsync(new BookShowing(request.LeadId, request.PropertyId, request.StartsAt,
            ShowingBooking.DefaultLength, ShowingSource.VoiceAgent, request.Notes, request.CallId), cancellationToken).ConfigureAwait(false);
        return result switch
        {
            BookingResult.Booked b => new ShowingResult(true, b.Showing.Id, b.Showing.StartsAt, null),
            BookingResult.Invalid i => new ShowingResult(false, null, null, i.Message),
            BookingResult.Conflict { AgentId: { } agentId } c => await WithFreeSlotsAsync(scope.ServiceProvider, c.Message, agentId, request, cancellationToken).ConfigureAwait(false),
            BookingResult.Conflict c => new ShowingResult(false, null, null, c.Message),
            _ => new ShowingResult(false, null, null, "the showing could not be booked"),
        };
    }

    /// <summary>
    /// A taken or out-of-hours time: the agent's free starts that day, so the voice agent offers only those
    /// ("Maria is free at 2 pm or 4 pm").
    /// </summary>
    private static async Task<ShowingResult> WithFreeSlotsAsync(IServiceProvider services, string error, int agentId, ShowingRequest request, CancellationToken ct)
    {
        var availability = services.GetRequiredService<AgentAvailability>();
        var free = await availability.FreeSlotsAsync(agentId, request.PropertyId, request.StartsAt, ShowingBooking.DefaultLength, 3, ct).ConfigureAwait(false);
        var db = services.GetRequiredService<AppDbContext>();
        var name = await db.Users.Where(u => u.Id == agentId).Select(u => u.Name).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        var firstName = name?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "The agent";
        var zone = availability.Zone;
        var times = free.Select(t => TimeZoneInfo.ConvertTime(t, zone).ToString("h:mm tt", CultureInfo.InvariantCulture)
            .Replace(":00", "", StringComparison.Ordinal).ToLowerInvariant()).ToList();
        var offer = times.Count == 0 ? $"{firstName} has no free time that day; offer another day."
            : $"{firstName} is free at {(times.Count == 1 ? times[0] : string.Join(", ", times[..^1]) + " or " + times[^1])}.";
        return new ShowingResult(false, null, null, error, free, offer);
    }

    /// <summary>
    /// A browser test call's lead: no number to match or dial (so no consent to call), and the notes say where it
    /// came from, so nobody on the team mistakes it for a real enquiry.
    /// </summary>
    private static Lead NewTestCallLead(DateTimeOffset now) => new()
    {
        Name = "Test caller", Phone = "", Source = LeadSource.Other, Status = LeadStatus.New, ConsentToCall = false,
        Notes = TestCallNote, IsTest = true, CreatedAt = now, UpdatedAt = now,
    };

    public const string TestCallNote = "Created by a browser test call from the web app, not by a real caller.";

    private static async Task<Lead?> FindAsync(IQueryable<Lead> leads, int? leadId, string? phone, CancellationToken ct)
    {
        if (leadId is { } id && await leads.SingleOrDefaultAsync(l => l.Id == id, ct).ConfigureAwait(false) is { } byId) return byId;
        if (string.IsNullOrEmpty(phone)) return null;
        // A number can belong to more than one lead (imported twice); the most recently active one is the caller's.
        return await leads.Where(l => l.Phone == phone).OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    private static PropertyType? ParseType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var compact = value.Trim().Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (!compact.All(char.IsLetter)) return null;
        if (compact.EndsWith('s') && !Enum.TryParse<PropertyType>(compact, ignoreCase: true, out _)) compact = compact[..^1];
        return Enum.TryParse<PropertyType>(compact, ignoreCase: true, out var type) && Enum.IsDefined(type) ? type : null;
    }

    private static readonly System.Linq.Expressions.Expression<Func<Property, PropertySummary>> Projection = p =>
        new PropertySummary(p.Id, p.Address, p.City, p.State, p.Price, p.Bedrooms, p.Bathrooms, p.SquareFeet,
            p.PropertyType.ToString(), p.Status.ToString(), p.Description, p.Features);

    private static LeadSnapshot Snapshot(Lead l) =>
        new(l.Id, l.Name, l.Phone, l.Intent?.ToString().ToLowerInvariant(), l.BudgetMin, l.BudgetMax, l.Bedrooms,
            [.. l.PreferredAreas], l.Timeline, l.PreApproved, l.DoNotCall, l.AssignedAgentId, l.Status.ToString());
}
