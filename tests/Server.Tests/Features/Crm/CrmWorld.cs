using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Crm;

/// <summary>
/// A small team and its records, written straight to the database: an Admin, a Manager and two Agents, where
/// <see cref="AgentA"/> owns the "own" records and <see cref="AgentB"/> the "other" ones. Factory methods add
/// fresh records for tests that change or delete one.
/// </summary>
public sealed class CrmWorld
{
    private int counter;

    private CrmWorld(AppFactory app) => App = app;

    public AppFactory App { get; }
    public User Admin { get; private set; } = null!;
    public User Manager { get; private set; } = null!;
    public User AgentA { get; private set; } = null!;
    public User AgentB { get; private set; } = null!;

    public static async Task<CrmWorld> CreateAsync(AppFactory app)
    {
        var world = new CrmWorld(app)
        {
            Admin = await app.CreateUserAsync(UserRole.Admin),
            Manager = await app.CreateUserAsync(UserRole.Manager),
            AgentA = await app.CreateUserAsync(UserRole.Agent),
            AgentB = await app.CreateUserAsync(UserRole.Agent),
        };
        return world;
    }

    private DateTimeOffset Now => App.Time.GetUtcNow();

    public Task<Property> NewPropertyAsync(string city = "Austin", decimal price = 450_000m, int bedrooms = 3,
        PropertyStatus status = PropertyStatus.Active, DateTimeOffset? createdAt = null) =>
        App.WithDbAsync(async db =>
        {
            var n = Interlocked.Increment(ref counter);
            var property = new Property
            {
                Address = $"{100 + n} Oak Street", City = city, State = "TX", Zip = "78701", Price = price, Bedrooms = bedrooms,
                Bathrooms = 2m, SquareFeet = 1500 + n, PropertyType = PropertyType.House, Status = status,
                Description = "Bright corner lot", Features = ["garage"], CreatedAt = createdAt ?? Now, UpdatedAt = createdAt ?? Now,
            };
            db.Properties.Add(property);
            await db.SaveChangesAsync();
            return property;
        });

    public Task<Lead> NewLeadAsync(User? agent, LeadStatus status = LeadStatus.New, string? name = null,
        DateTimeOffset? createdAt = null, DateTimeOffset? qualifiedAt = null) =>
        App.WithDbAsync(async db =>
        {
            var n = Interlocked.Increment(ref counter);
            var lead = new Lead
            {
                Name = name ?? $"Lead {n}", Phone = $"+1512555{n:0000}", Email = $"lead{n}@example.com", Source = LeadSource.Website,
                Status = status, Intent = LeadIntent.Buy, AssignedAgentId = agent?.Id, ConsentToCall = true,
                CreatedAt = createdAt ?? Now, UpdatedAt = createdAt ?? Now, QualifiedAt = qualifiedAt,
            };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            return lead;
        });

    public Task<Call> NewCallAsync(Lead? lead, User? agent, DateTimeOffset? startedAt = null, CallDirection direction = CallDirection.Inbound,
        CallStatus status = CallStatus.Completed, CallOutcome? outcome = CallOutcome.InformationProvided, int? duration = 120,
        string? summary = null, string? callerName = null, bool answered = true) =>
        App.WithDbAsync(async db =>
        {
            var n = Interlocked.Increment(ref counter);
            var start = startedAt ?? Now.AddHours(-1);
            var call = new Call
            {
                CallSid = $"CA{Guid.NewGuid():N}", Direction = direction, FromNumber = $"+1737555{n:0000}", ToNumber = "+15125550000",
                Status = status, StartedAt = start, AnsweredAt = answered ? start.AddSeconds(3) : null,
                EndedAt = duration is { } d ? start.AddSeconds(d) : null, DurationSeconds = duration, Outcome = outcome,
                LeadId = lead?.Id, AgentId = agent?.Id, TranscriptSummary = summary ?? $"Call {n}", CallerUsername = callerName,
                CreatedAt = start, UpdatedAt = start,
            };
            db.Calls.Add(call);
            await db.SaveChangesAsync();
            return call;
        });

    public Task<Showing> NewShowingAsync(Lead lead, Property property, User? agent, DateTimeOffset? startsAt = null,
        ShowingStatus status = ShowingStatus.Scheduled, DateTimeOffset? createdAt = null) =>
        App.WithDbAsync(async db =>
        {
            var start = startsAt ?? Now.AddDays(2);
            var showing = new Showing
            {
                LeadId = lead.Id, PropertyId = property.Id, AgentId = agent?.Id, StartsAt = start, EndsAt = start.AddHours(1),
                Status = status, Source = ShowingSource.Staff, CreatedAt = createdAt ?? Now, UpdatedAt = createdAt ?? Now,
            };
            db.Showings.Add(showing);
            await db.SaveChangesAsync();
            return showing;
        });
}
