using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Showings;

/// <summary>
/// Bookings in flight at the same time (issue 11: every voice caller booking at once queued behind one lock): a
/// booking held between its clash check and its insert keeps out a clashing booking of the same property or of the
/// same agent (issue 15), and no booking of another property and agent.
/// </summary>
public class ConcurrentBookingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_booking_of_another_property_goes_ahead_while_one_is_held(Db db)
    {
        var gate = new ClashCheckGate();
        await using var app = await AppFactory.CreateAsync(db, [], gate.Install);
        var world = await CrmWorld.CreateAsync(app);
        var held = await world.NewPropertyAsync();
        var other = await world.NewPropertyAsync();
        var manager = await app.ClientForAsync(world.Manager);
        var start = app.Time.GetUtcNow().AddDays(2);
        gate.Hold(held.Id);

        var first = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = held.Id, starts_at = start });
        await gate.Reached.WaitAsync(Patience);
        try
        {
            var second = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentB)).Id, property_id = other.Id, starts_at = start });
            var done = await Task.WhenAny(second, Task.Delay(Patience));
            Assert.True(done == second, "the booking of another property waited for the held one");
            Assert.Equal(HttpStatusCode.Created, (await second).StatusCode);
            Assert.False(first.IsCompleted);
        }
        finally
        {
            gate.Release();
        }
        Assert.Equal(HttpStatusCode.Created, (await first.WaitAsync(Patience)).StatusCode);
        Assert.Equal(2, await app.WithDbAsync(d => d.Showings.CountAsync(s => s.Status == ShowingStatus.Scheduled)));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_clashing_booking_of_the_same_property_waits_and_is_refused(Db db)
    {
        var gate = new ClashCheckGate();
        await using var app = await AppFactory.CreateAsync(db, [], gate.Install);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var manager = await app.ClientForAsync(world.Manager);
        var start = app.Time.GetUtcNow().AddDays(2);
        gate.Hold(property.Id);

        // The first booking has found the slot free and is held before its insert.
        var first = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = property.Id, starts_at = start });
        await gate.Reached.WaitAsync(Patience);
        Task<HttpResponseMessage> second;
        try
        {
            second = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentB)).Id, property_id = property.Id, starts_at = start.AddMinutes(30) });
            // Had it not waited for the first, its own clash check would find the slot free too: a double booking.
            // 300 ms is far longer than an unhindered booking takes here, and short enough for a test.
            Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300))));
        }
        finally
        {
            gate.Release();
        }

        Assert.Equal(HttpStatusCode.Created, (await first.WaitAsync(Patience)).StatusCode);
        var refused = await second.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await app.WithDbAsync(d => d.Showings.CountAsync(s => s.PropertyId == property.Id)));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_clashing_booking_of_the_same_agent_at_another_property_waits_and_is_refused(Db db)
    {
        var gate = new ClashCheckGate();
        await using var app = await AppFactory.CreateAsync(db, [], gate.Install);
        var world = await CrmWorld.CreateAsync(app);
        var (house, flat) = (await world.NewPropertyAsync(), await world.NewPropertyAsync());
        var manager = await app.ClientForAsync(world.Manager);
        var start = app.Time.GetUtcNow().AddDays(2);
        gate.Hold(house.Id);

        // Both leads are AgentA's: the bookings share no property, only the agent who would show both.
        var first = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = house.Id, starts_at = start });
        await gate.Reached.WaitAsync(Patience);
        Task<HttpResponseMessage> second;
        try
        {
            second = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = flat.Id, starts_at = start.AddMinutes(30) });
            Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300))));
        }
        finally
        {
            gate.Release();
        }

        Assert.Equal(HttpStatusCode.Created, (await first.WaitAsync(Patience)).StatusCode);
        var refused = await second.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await app.WithDbAsync(d => d.Showings.CountAsync(s => s.AgentId == world.AgentA.Id)));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_property_deleted_while_its_booking_is_in_flight_leaves_a_clear_answer_and_no_orphan_showing(Db db)
    {
        var gate = new ClashCheckGate();
        await using var app = await AppFactory.CreateAsync(db, [], gate.Install);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var manager = await app.ClientForAsync(world.Manager);
        var admin = await app.ClientForAsync(await app.CreateUserAsync(UserRole.Admin));
        gate.Hold(property.Id);

        var booking = manager.PostAsJsonAsync("/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = property.Id, starts_at = app.Time.GetUtcNow().AddDays(2) });
        await gate.Reached.WaitAsync(Patience);
        var deletion = admin.DeleteAsync($"/properties/{property.Id}");
        await Task.WhenAny(deletion, Task.Delay(TimeSpan.FromMilliseconds(500))); // the deletion goes first where nothing stops it
        gate.Release();

        // Either the booking took its turn first (201, then the deletion removes it with the property) or the property
        // was gone when it inserted (409): never a 500, never a showing of a property that does not exist.
        var booked = await booking.WaitAsync(Patience);
        Assert.Contains(booked.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
        Assert.Equal(HttpStatusCode.NoContent, (await deletion.WaitAsync(Patience)).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.Showings.CountAsync(s => s.PropertyId == property.Id)));
    }

    /// <summary>
    /// Holds the first booking of one property right after its clash check has run (the check's answer in hand, the
    /// insert not yet made) until released: the moment at which a second booking could slip in.
    /// </summary>
    private sealed class ClashCheckGate : DbCommandInterceptor
    {
        private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int propertyId;
        private int taken;

        public Task Reached => reached.Task;

        public void Install(IServiceCollection services)
        {
            // The app registers one of the two contexts (by DATABASE_URL); the other registration is never used.
            services.ConfigureDbContext<SqliteAppDbContext>((_, o) => o.AddInterceptors(this), ServiceLifetime.Singleton);
            services.ConfigureDbContext<PostgresAppDbContext>((_, o) => o.AddInterceptors(this), ServiceLifetime.Singleton);
        }

        public void Hold(int property) => propertyId = property;

        public void Release() => released.TrySetResult();

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
            DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (IsHeldClashCheck(command) && Interlocked.Exchange(ref taken, 1) == 0)
            {
                reached.TrySetResult();
                await released.Task;
            }
            return result;
        }

        private bool IsHeldClashCheck(DbCommand command) =>
            command.CommandText.Contains(ShowingBooking.ClashCheckTag, StringComparison.Ordinal)
            && command.Parameters.Cast<DbParameter>().Any(p => p.Value is int id && id == propertyId);
    }
}
