using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads.Notes;

/// <summary>
/// Notes on a lead, reached through <see cref="LeadAccess"/> (another agent's lead answers 404). Anyone who sees the
/// lead reads and writes notes; a note is deleted by its author, or by a Manager or Admin.
/// </summary>
public static class LeadNotesApi
{
    public static RouteGroupBuilder MapLeadNotes(this RouteGroupBuilder leads)
    {
        leads.MapGet("/{id:int}/notes", async Task<Results<Ok<PagedResponse<LeadNoteResponse>>, ValidationProblem, ProblemHttpResult>> (
            int id, [AsParameters] PageQuery paging, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            paging.Validate(errors);
            if (errors.Any) return errors.ToProblem();
            if (!await db.Leads.VisibleTo(user).AnyAsync(l => l.Id == id, ct)) return Problems.NotFound("Lead");
            return TypedResults.Ok(await db.Set<LeadNote>().AsNoTracking().Where(n => n.LeadId == id)
                .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
                .Select(n => new LeadNoteResponse(n.Id, n.LeadId, n.Body, n.AuthorId, n.Author != null ? n.Author.Name : null, n.CreatedAt))
                .ToPageAsync(paging, ct));
        });

        leads.MapPost("/{id:int}/notes", async Task<Results<Created<LeadNoteResponse>, ValidationProblem, ProblemHttpResult>> (
            int id, LeadNoteRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            if (!await db.Leads.VisibleTo(user).AnyAsync(l => l.Id == id, ct)) return Problems.NotFound("Lead");
            if (string.IsNullOrWhiteSpace(request.Body)) return ProblemResults.Invalid("body", "body must not be blank.");
            var note = new LeadNote { LeadId = id, Body = request.Body.Trim(), AuthorId = user.GetUserId(), CreatedAt = time.GetUtcNow() };
            db.Add(note);
            await db.SaveChangesAsync(ct);
            var author = await db.Users.Where(u => u.Id == note.AuthorId).Select(u => u.Name).SingleOrDefaultAsync(ct);
            return TypedResults.Created($"/leads/{id}/notes/{note.Id}", new LeadNoteResponse(note.Id, id, note.Body, note.AuthorId, author, note.CreatedAt));
        });

        leads.MapDelete("/{id:int}/notes/{noteId:int}", async Task<Results<NoContent, ProblemHttpResult>> (
            int id, int noteId, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var note = await db.Set<LeadNote>().Where(n => n.Id == noteId && n.LeadId == id)
                .Where(n => db.Leads.VisibleTo(user).Any(l => l.Id == n.LeadId))
                .Select(n => new { n.AuthorId }).SingleOrDefaultAsync(ct);
            if (note is null) return Problems.NotFound("Note");
            if (!user.SeesEverything() && note.AuthorId != user.GetUserId())
                return ProblemResults.Forbidden("Only the note's author, a manager or an admin deletes a note.");
            await db.Set<LeadNote>().Where(n => n.Id == noteId).ExecuteDeleteAsync(ct);
            return TypedResults.NoContent();
        });

        return leads;
    }
}
