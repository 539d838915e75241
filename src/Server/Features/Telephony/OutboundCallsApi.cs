using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Outbound;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

/// <param name="Purpose">Why we call, as the agent will say it after "calling about" (e.g. "the open house on Elm Street");
/// optional: without it the agent names the lead's enquiry from their facts.</param>
public sealed record OutboundCallRequest(int? LeadId, string? Purpose = null);

public sealed record OutboundCallResponse(int CallId, string CallSid, CallStatus Status, int LeadId);

/// <summary><c>POST /calls/outbound {lead_id, purpose?}</c>: the agent calls a lead through Twilio; the answered call comes back to our webhook.</summary>
public static class OutboundCallsApi
{
    public static IEndpointRouteBuilder MapOutboundCalls(this IEndpointRouteBuilder app)
    {
        app.MapPost("/calls/outbound", PlaceCallAsync).WithTags("Calls").RequireAuthorization();
        return app;
    }

    private static async Task<Results<Accepted<OutboundCallResponse>, ProblemHttpResult, ValidationProblem>> PlaceCallAsync(
        OutboundCallRequest request, ClaimsPrincipal user, AppDbContext db, TwilioCalls twilio,
        TwilioPublicUrls urls, IOptions<TwilioOptions> options, IDialGate gate, TimeProvider time, ILogger<TwilioCalls> logger, CancellationToken ct)
    {
        if (request.LeadId is not { } leadId) return Problems.Validation("lead_id", "lead_id is required.");
        var purpose = string.IsNullOrWhiteSpace(request.Purpose) ? null : request.Purpose.Trim();
        if (purpose is not null && (purpose.Length > Call.MaxPurpose || purpose.Any(char.IsControl)))
            return Problems.Validation("purpose", $"purpose must be one line of at most {Call.MaxPurpose} characters.");
        var lead = await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leadId, ct);
        // Another agent's lead answers 404 like a missing one: its existence is not revealed.
        if (lead is null || (!user.SeesEverything() && lead.AssignedAgentId != user.GetUserId())) return Problems.NotFound("Lead");
        var decision = await gate.CheckAsync(new DialGateRequest(lead, DialKind.Single), ct);
        if (!decision.Allowed) return Refused(decision);
        if (!options.Value.CanPlaceCalls)
        {
            // Plain words for the person who clicked; the setting names are for whoever deploys, in the log and the README.
            logger.LogWarning("Outbound call refused: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER are not all set");
            return TypedResults.Problem("Phone calls are not set up yet: an administrator needs to connect the Twilio account and phone number.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable");
        }

        Twilio.Rest.Api.V2010.Account.CallResource placed;
        try
        {
            placed = await twilio.CreateCallAsync(lead.Phone, urls.Webhook, urls.StatusCallback, ct);
        }
        catch (Twilio.Exceptions.TwilioException ex)
        {
            logger.LogWarning(ex, "Twilio refused or did not answer the outbound call to lead {LeadId}", lead.Id);
            return TypedResults.Problem($"Twilio did not place the call: {TwilioCalls.Describe(ex)}", statusCode: StatusCodes.Status502BadGateway,
                title: "Bad Gateway");
        }

        var now = time.GetUtcNow();
        // The status callback may already have created the row (it can beat this response); then we just link it.
        var call = await db.Calls.SingleOrDefaultAsync(c => c.CallSid == placed.Sid, ct);
        if (call is null)
        {
            call = new Call
            {
                CallSid = placed.Sid, Direction = CallDirection.Outbound, FromNumber = options.Value.PhoneNumber, ToNumber = lead.Phone,
                Status = TwilioCallStatus.Parse(placed.Status?.ToString()) ?? CallStatus.Queued, StartedAt = now, CreatedAt = now, UpdatedAt = now,
            };
            db.Calls.Add(call);
        }
        call.LeadId = lead.Id;
        call.Purpose = purpose;
        call.AgentId ??= user.GetRole() == UserRole.Agent ? user.GetUserId() : lead.AssignedAgentId;
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/calls/{call.Id}",
            new OutboundCallResponse(call.Id, call.CallSid, call.Status, lead.Id));
    }

    /// <summary>Do-not-call (the lead's wish, the team's list or the national registry) is a conflict with the lead's own wish (409); every other refusal is a rule the request breaks
    /// as it stands (422). The code goes out as an extension so the web app can say what to do next.</summary>
    private static ProblemHttpResult Refused(DialGateDecision decision)
    {
        var status = DialRefusals.IsDoNotCall(decision.Code) ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        var extensions = new Dictionary<string, object?> { ["code"] = decision.Code };
        if (decision.RetryAt is { } retryAt) extensions["retry_at"] = retryAt;
        return TypedResults.Problem(decision.Reason, statusCode: status,
            title: status == StatusCodes.Status409Conflict ? "Conflict" : "Unprocessable Entity", extensions: extensions);
    }
}
