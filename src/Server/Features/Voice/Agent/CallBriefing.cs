using EstateVoice.Server.Features.Voice.Calls;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Agent;

/// <summary>What the session hands the agent as a call starts: its instructions, its opener, and whose lead it is.</summary>
/// <param name="CallerPhone">The number update_lead matches leads by (the lead's on an outbound call); null for a browser test call.</param>
public sealed record AgentBriefing(string Instructions, string Greeting, string? CallerPhone, int? LeadId, CallerContext Context);

/// <summary>
/// The one entry point from the call session: reads the caller's context and turns it into the agent's briefing.
/// The read is bounded: a slow or failing database delays the greeting by at most <see cref="LoadLimit"/>, after
/// which the call goes on as one from an unknown caller.
/// </summary>
public sealed partial class CallBriefing(
    ICallerContextSource source, IOptions<VoiceOptions> options, TimeProvider time, ILogger<CallBriefing> logger)
{
    public static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(1);

    /// <param name="testCall">A browser test call: no number, nothing to match, no read at all.</param>
    public async Task<AgentBriefing> BriefAsync(VoiceCall call, bool testCall, CancellationToken cancellationToken)
    {
        var context = testCall ? CallerContext.Unknown(null) : await LoadAsync(call, cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        var phone = testCall ? null : context.PartyPhone ?? call.FromNumber ?? "unknown";
        return new AgentBriefing(AgentInstructions.Build(o, time.GetLocalNow(), context), AgentInstructions.Greeting(o, context),
            phone, context.Lead?.Id ?? call.LeadId, context);
    }

    private async Task<CallerContext> LoadAsync(VoiceCall call, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(LoadLimit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            return await source.LoadAsync(call, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogContextUnavailable(ex, call.Id);
            return CallerContext.Unknown(call.FromNumber);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the caller's CRM context could not be read; the agent treats them as a new caller")]
    private partial void LogContextUnavailable(Exception exception, int callId);
}
