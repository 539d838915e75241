using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Leads: an Agent reaches only leads assigned to them (others answer 404) and cannot assign or delete.</summary>
public static class LeadsRows
{
    private static object Body(int? assignedAgentId = null) => new
    {
        name = "Pat Buyer", phone = "+15125550199", status = "contacted", intent = "buy", assigned_agent_id = assignedAgentId,
    };

    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/leads/", _ => Task.FromResult(Get("/leads/")), Expect.Everyone(200)),
        new("GET", "/leads/{id:int}", async c => Get($"/leads/{await c.OwnedLeadAsync()}"), Expect.Owned(200)),
        // Creating for oneself is fine; an Agent naming another agent as assignee is assigning, which they cannot do.
        new("POST", "/leads/", c => Task.FromResult(Post("/leads/", Body(c.Whose == Whose.Other ? c.Owner.Id : null))),
            new Expect(201, 201, 201, 403)),
        new("PUT", "/leads/{id:int}", async c => Put($"/leads/{await c.OwnedLeadAsync()}", Body(c.Owner.Id)), Expect.Owned(200)),
        new("PATCH", "/leads/{id:int}", async c => Patch($"/leads/{await c.OwnedLeadAsync()}", new { status = "qualified" }), Expect.Owned(200)),
        new("DELETE", "/leads/{id:int}", async c => Delete($"/leads/{await c.OwnedLeadAsync()}"), Expect.ManagerOrAdmin(204)),
        new("POST", "/leads/{id:int}/assign", async c => Post($"/leads/{await c.OwnedLeadAsync()}/assign", new { agent_id = c.World.AgentA.Id }),
            Expect.ManagerOrAdmin(200)),
        new("POST", "/leads/import", _ => Task.FromResult(Post("/leads/import",
            Features.Leads.LeadImportTests.Form("name,phone\nPat Import,512-555-0188\n", duplicates: "merge"))), Expect.ManagerOrAdmin(200)),
    ];
}
