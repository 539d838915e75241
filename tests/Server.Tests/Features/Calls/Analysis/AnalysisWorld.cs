using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Calls.Analysis;

/// <summary>A voice call with the fixture turns below, on a lead the agent created ("Unknown caller", nothing known), ended the real way.</summary>
internal static class AnalysisWorld
{
    public static readonly (Speaker Speaker, string Text)[] Turns =
    [
        (Speaker.Agent, "Thanks for calling Estate Voice, how can I help?"),
        (Speaker.Caller, "hi i want to buy a three bedroom house in austin"),
        (Speaker.Agent, "Great. What budget do you have in mind?"),
        (Speaker.Caller, "up to five hundred thousand dollars"),
        (Speaker.Agent, "And when are you hoping to move?"),
        (Speaker.Caller, "in the next three months"),
        (Speaker.Agent, "Are you pre-approved for a mortgage?"),
        (Speaker.Caller, "yes i am"),
        (Speaker.Agent, "Thanks. I will have an agent follow up with listings."),
    ];

    public sealed record Setup(CrmWorld World, Lead Lead, Call Call);

    /// <summary>The call is in progress with its turns saved; <see cref="FinishAsync"/> ends it as the voice loop does.</summary>
    public static async Task<Setup> CreateAsync(AppFactory app, Action<Lead>? lead = null)
    {
        var world = await CrmWorld.CreateAsync(app);
        await world.NewPropertyAsync(city: "Austin");
        var row = await world.NewLeadAsync(world.AgentA, name: "Unknown caller");
        row = await app.WithDbAsync(async db =>
        {
            var l = await db.Leads.SingleAsync(x => x.Id == row.Id);
            l.Intent = null;
            l.Email = null;
            lead?.Invoke(l);
            await db.SaveChangesAsync();
            return l;
        });
        var call = await world.NewCallAsync(row, world.AgentA, status: CallStatus.InProgress, outcome: null, duration: null, summary: "");
        await app.WithDbAsync(async db =>
        {
            var at = 0;
            for (var i = 0; i < Turns.Length; i++, at += 3000)
                db.CallTurns.Add(new CallTurn { CallId = call.Id, Sequence = i, Speaker = Turns[i].Speaker, Text = Turns[i].Text, StartMs = at, EndMs = at + 2500, CreatedAt = app.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        return new Setup(world, row, call);
    }

    public static Task FinishAsync(AppFactory app, Setup setup, CallOutcome outcome = CallOutcome.Qualified) =>
        app.Services.GetRequiredService<IVoiceCallStore>().FinishCallAsync(setup.Call.Id,
            new CallEnd(CallEndStatus.Completed, outcome, null, setup.Lead.Id, app.Time.GetUtcNow(), 27), CancellationToken.None);

    /// <summary>GET /calls/{id} until its analysis is no longer pending (the worker wakes on the enqueue; the clock never moves).</summary>
    public static async Task<JsonElement> AnalysedAsync(HttpClient client, int callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var call = await client.GetFromJsonAsync<JsonElement>($"/calls/{callId}");
            if (call.GetProperty("analysis") is { ValueKind: JsonValueKind.Object } a && a.GetProperty("status").GetString() != "pending") return call;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"analysis still pending: {call}");
            await Task.Delay(25);
        }
    }
}
