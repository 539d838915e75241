using EstateVoice.Server.Features.Leads.Notes;
using EstateVoice.Server.Features.Tasks;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>
/// The lead workspace: a lead's timeline and notes follow the lead's access (another agent's lead answers 404);
/// tasks are the caller's own or on their leads, and an Agent naming another agent's lead gets a 400 on lead_id.
/// </summary>
public static class WorkspaceRows
{
    private static async Task<(int LeadId, int NoteId)> NoteOnLeadAsync(MatrixContext c)
    {
        var lead = await c.World.NewLeadAsync(c.Owner);
        return await c.World.App.WithDbAsync(async db =>
        {
            var note = new LeadNote { LeadId = lead.Id, Body = "A note", AuthorId = c.Owner.Id, CreatedAt = DateTimeOffset.UtcNow };
            db.Add(note);
            await db.SaveChangesAsync();
            return (lead.Id, note.Id);
        });
    }

    private static Task<int> TaskAsync(MatrixContext c) =>
        c.World.App.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var task = new FollowUpTask { Title = "Call back", AssigneeId = c.Owner.Id, DueAt = now, CreatedAt = now, UpdatedAt = now };
            db.Add(task);
            await db.SaveChangesAsync();
            return task.Id;
        });

    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/leads/{id:int}/timeline", async c => Get($"/leads/{await c.OwnedLeadAsync()}/timeline"), Expect.Owned(200)),
        new("GET", "/leads/{id:int}/notes", async c => Get($"/leads/{await c.OwnedLeadAsync()}/notes"), Expect.Owned(200)),
        new("POST", "/leads/{id:int}/notes", async c => Post($"/leads/{await c.OwnedLeadAsync()}/notes", new { body = "Called, no answer." }), Expect.Owned(201)),
        // The calling Agent deletes their own note; Managers and Admins delete another agent's.
        new("DELETE", "/leads/{id:int}/notes/{noteId:int}", async c =>
        {
            var (leadId, noteId) = await NoteOnLeadAsync(c);
            return Delete($"/leads/{leadId}/notes/{noteId}");
        }, Expect.Owned(204)),
        new("GET", "/tasks/", _ => Task.FromResult(Get("/tasks/?mine=true")), Expect.Everyone(200)),
        new("GET", "/tasks/team", _ => Task.FromResult(Get("/tasks/team")), Expect.ManagerOrAdmin(200)),
        new("GET", "/tasks/{id:int}", async c => Get($"/tasks/{await TaskAsync(c)}"), Expect.Owned(200)),
        new("POST", "/tasks/", async c => Post("/tasks/", new { title = "Send listings", lead_id = await c.OwnedLeadAsync() }), new Expect(201, 201, 201, 400)),
        new("PATCH", "/tasks/{id:int}", async c => Patch($"/tasks/{await TaskAsync(c)}", new { done = true }), Expect.Owned(200)),
        new("DELETE", "/tasks/{id:int}", async c => Delete($"/tasks/{await TaskAsync(c)}"), Expect.Owned(204)),
    ];
}
