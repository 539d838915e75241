using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

public static class ShowingsApi
{
    public static IHostApplicationBuilder AddShowings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ShowingBooking>();
        builder.Services.AddSingleton<PropertyBookingTurns>();
        builder.Services.AddScoped<AgentAvailability>();
        builder.Services.AddScoped<ShowingInvites>();
        builder.Services.AddScoped<ShowingInviteMail>();
        return builder;
    }

    public static IEndpointRouteBuilder MapShowingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/showings").WithTags("Showings");

        group.MapGet("/", async Task<Results<Ok<PagedResponse<ShowingResponse>>, ValidationProblem>> (
            [AsParameters] ShowingSearchQuery query, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var filtered = ShowingSearch.Apply(db.Showings.AsNoTracking().VisibleTo(user), query, errors);
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await filtered.Select(ShowingResponse.Projection).ToPageAsync(query, ct));
        });

        group.MapGet("/{id:int}", async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> (int id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
            await FindAsync(db, user, id, ct) is { } showing ? TypedResults.Ok(showing) : Problems.NotFound("Showing"));

        group.MapPost("/", async Task<Results<Created<ShowingResponse>, ProblemHttpResult>> (
            CreateShowingRequest request, ClaimsPrincipal user, AppDbContext db, ShowingBooking booking, CancellationToken ct) =>
        {
            // A lead the user may not see is reported exactly like one that does not exist.
            if (!await db.Leads.VisibleTo(user).AnyAsync(l => l.Id == request.LeadId, ct))
                return ProblemResults.Invalid("lead_id", $"No lead has id {request.LeadId}.");
            var result = await booking.BookAsync(new BookShowing(
                request.LeadId!.Value, request.PropertyId!.Value, request.StartsAt!.Value,
                TimeSpan.FromMinutes(request.DurationMinutes ?? (int)ShowingBooking.DefaultLength.TotalMinutes),
                ShowingSource.Staff, request.Notes, CreatedByUserId: user.GetUserId()), ct);
            return result switch
            {
                BookingResult.Booked booked => TypedResults.Created($"/showings/{booked.Showing.Id}", (await FindAsync(db, user, booked.Showing.Id, ct))!),
                BookingResult.Invalid invalid => ProblemResults.Invalid(invalid.Field, invalid.Message),
                BookingResult.Conflict conflict => Problems.Conflict(conflict.Message),
                _ => throw new InvalidOperationException("Unknown booking result."),
            };
        });

        group.MapShowingLifecycle();
        group.MapFreeSlots();
        app.MapAgentCalendarApi();

        return app;
    }

    internal static Task<ShowingResponse?> FindAsync(AppDbContext db, ClaimsPrincipal user, int id, CancellationToken ct) =>
        db.Showings.AsNoTracking().VisibleTo(user).Where(s => s.Id == id).Select(ShowingResponse.Projection).SingleOrDefaultAsync(ct);
}
