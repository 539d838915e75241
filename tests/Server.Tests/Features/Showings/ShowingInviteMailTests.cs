using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Features.Notifications;
using EstateVoice.Server.Tests.Infrastructure;
using Ical.Net;
using MimeKit;

namespace EstateVoice.Server.Tests.Features.Showings;

/// <summary>The showing's invite travels by email (issue 15), checked on a real SMTP server on loopback.</summary>
public class ShowingInviteMailTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Booking_moving_and_canceling_email_the_invite_to_the_agent_and_the_lead(Db db)
    {
        await using var smtp = FakeSmtpServer.Start();
        await using var app = await AppFactory.CreateAsync(db, smtp.Settings);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var lead = await world.NewLeadAsync(world.AgentA, name: "Ana Lopez");
        var manager = await app.ClientForAsync(world.Manager);
        var agent = await app.ClientForAsync(world.AgentA);
        var start = app.Time.GetUtcNow().AddDays(1);

        var booked = await manager.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = lead.Id, property_id = property.Id, starts_at = start });
        Assert.Equal(201, booked.Status);
        var id = booked.Body.GetProperty("id").GetInt32();

        // Booked: the agent's notification email carries the invite; the lead gets one of their own.
        var mails = await NextPairAsync(smtp, world.AgentA.Email, lead.Email!);
        Assert.StartsWith("Estate Voice: Showing booked: Ana Lopez at ", mails.Agent.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Estate Voice: Showing booked: ", mails.Lead.Subject, StringComparison.Ordinal);
        var download = await agent.GetByteArrayAsync($"/showings/{id}/invite.ics");
        foreach (var mail in new[] { mails.Agent, mails.Lead })
        {
            var (bytes, calendar) = Invite(mail, "REQUEST", $"showing-{id}.ics");
            Assert.Equal(download, bytes);
            var e = Assert.Single(calendar.Events);
            Assert.Equal($"showing-{id}@estate-voice", e.Uid);
            Assert.Equal(0, e.Sequence);
            Assert.Equal($"mailto:{lead.Email}", Assert.Single(e.Attendees).Value?.ToString());
        }

        // Moved: an updated invite, same UID, higher SEQUENCE, new time.
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{id}/reschedule", new { starts_at = start.AddHours(2) })).Status);
        mails = await NextPairAsync(smtp, world.AgentA.Email, lead.Email!);
        foreach (var mail in new[] { mails.Agent, mails.Lead })
        {
            Assert.StartsWith("Estate Voice: Showing moved: ", mail.Subject, StringComparison.Ordinal);
            var e = Assert.Single(Invite(mail, "REQUEST", $"showing-{id}.ics").Calendar.Events);
            Assert.Equal($"showing-{id}@estate-voice", e.Uid);
            Assert.Equal(1, e.Sequence);
            Assert.Equal(start.AddHours(2).UtcDateTime, e.DtStart!.AsUtc);
        }

        // Canceled: METHOD:CANCEL, higher SEQUENCE still.
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{id}/cancel")).Status);
        mails = await NextPairAsync(smtp, world.AgentA.Email, lead.Email!);
        foreach (var mail in new[] { mails.Agent, mails.Lead })
        {
            Assert.StartsWith("Estate Voice: Showing canceled: ", mail.Subject, StringComparison.Ordinal);
            var (bytes, calendar) = Invite(mail, "CANCEL", $"showing-{id}.ics");
            Assert.Equal(await agent.GetByteArrayAsync($"/showings/{id}/invite.ics"), bytes);
            Assert.Equal("CANCEL", calendar.Method);
            var e = Assert.Single(calendar.Events);
            Assert.Equal((2, $"showing-{id}@estate-voice"), (e.Sequence, e.Uid));
        }
    }

    [Fact]
    public async Task An_agent_booking_their_own_showing_gets_the_invite_once_without_a_notification()
    {
        await using var smtp = FakeSmtpServer.Start();
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, smtp.Settings);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentA);
        var agent = await app.ClientForAsync(world.AgentA);

        var booked = await agent.SendJsonAsync(HttpMethod.Post, "/showings/",
            new { lead_id = lead.Id, property_id = (await world.NewPropertyAsync()).Id, starts_at = app.Time.GetUtcNow().AddDays(1) });
        Assert.Equal(201, booked.Status);

        var mails = await NextPairAsync(smtp, world.AgentA.Email, lead.Email!);
        Assert.StartsWith("Estate Voice: Showing booked: ", mails.Agent.Subject, StringComparison.Ordinal);
        Invite(mails.Agent, "REQUEST", $"showing-{booked.Body.GetProperty("id").GetInt32()}.ics");
        Assert.Equal(0, (await agent.GetJsonAsync("/notifications")).GetProperty("total").GetInt32());
    }

    /// <summary>The next two messages, one to each address (the queue sends them in either order).</summary>
    private static async Task<(MimeMessage Agent, MimeMessage Lead)> NextPairAsync(FakeSmtpServer smtp, string agentEmail, string leadEmail)
    {
        var two = new[] { await smtp.NextAsync(), await smtp.NextAsync() };
        var byTo = two.ToDictionary(m => Assert.Single(m.To.Mailboxes).Address);
        Assert.True(byTo.ContainsKey(agentEmail) && byTo.ContainsKey(leadEmail), string.Join(", ", byTo.Keys));
        return (byTo[agentEmail], byTo[leadEmail]);
    }

    private static (byte[] Bytes, Calendar Calendar) Invite(MimeMessage mail, string method, string fileName)
    {
        var part = Assert.IsAssignableFrom<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal("text/calendar", part.ContentType.MimeType);
        Assert.Equal(method, part.ContentType.Parameters["method"]);
        Assert.Equal(fileName, part.FileName);
        using var stream = new MemoryStream();
        Assert.NotNull(part.Content);
        part.Content.DecodeTo(stream);
        var bytes = stream.ToArray();
        var calendar = Calendar.Load(System.Text.Encoding.UTF8.GetString(bytes));
        Assert.NotNull(calendar);
        Assert.Equal(method, calendar.Method);
        return (bytes, calendar);
    }
}
