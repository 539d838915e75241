using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// Everything the call has established so far that decides how its row ends: the lead, what the agent achieved
/// (a booking, a do-not-call request, a transfer and how it went), provider failures and who spoke last. Only
/// <see cref="CallSession"/> writes it — tools and stages report facts (<see cref="CallFact"/>, result frames) and
/// the session applies them — so the final outcome is computed from typed facts, never parsed back from text.
/// Facts arrive on the threads of the stages that report them; a lock keeps each change whole.
/// </summary>
public sealed class CallState(int? leadId)
{
    private readonly Lock _gate = new();
    private int? _leadId = leadId;
    private bool _doNotCall;
    // The latest of the outcomes that supersede each other (a booking after a failed transfer wins, and so on).
    private CallOutcome? _latestOutcome;
    private TransferProgress? _transfer;
    private string? _failureReason;
    // Turns in the order they were recorded, and the turn count at the last provider failure the caller noticed.
    private int _turns;
    private int _lastCallerTurn;
    private int _lastFailure = -1;

    public int? LeadId { get { lock (_gate) return _leadId; } }

    public string? FailureReason { get { lock (_gate) return _failureReason; } }

    public TransferProgress? Transfer { get { lock (_gate) return _transfer; } }

    internal void Apply(CallFact fact)
    {
        lock (_gate)
        {
            switch (fact)
            {
                case LeadIdentified f:
                    _leadId = f.LeadId;
                    break;
                case LeadMarkedDoNotCall f:
                    _leadId = f.LeadId;
                    _doNotCall = true;
                    break;
                case ShowingWasBooked f:
                    _leadId = f.LeadId;
                    _latestOutcome = CallOutcome.ShowingBooked;
                    break;
                case MessageTaken f:
                    _leadId = f.LeadId;
                    break;
                case WrongNumberReached:
                    _latestOutcome = CallOutcome.WrongNumber;
                    break;
            }
        }
    }

    /// <summary>A transfer was asked for, taken by the phone network, or refused (by it at once, or later by the dial).</summary>
    internal void Apply(TransferProgress progress)
    {
        lock (_gate)
        {
            _transfer = progress;
            if (progress != TransferProgress.Requested)
                _latestOutcome = progress == TransferProgress.Refused ? CallOutcome.TransferFailed : CallOutcome.Transferred;
        }
    }

    /// <summary>A stream resumed after a dial nobody answered: the call goes on from a failed transfer.</summary>
    internal void Resumed(int earlierTurns)
    {
        lock (_gate)
        {
            _turns = earlierTurns;
            _lastCallerTurn = earlierTurns;
            _transfer = TransferProgress.Refused;
            _latestOutcome = CallOutcome.TransferFailed;
        }
    }

    internal void TurnRecorded(bool caller)
    {
        lock (_gate)
        {
            _turns++;
            if (caller) _lastCallerTurn = _turns;
        }
    }

    internal void ProviderFailed(string source, string message)
    {
        lock (_gate)
        {
            _lastFailure = _turns;
            _failureReason ??= $"{source}: {message}";
        }
    }

    /// <summary>
    /// The call ended on a provider failure: one was reported and the caller said nothing after it (a call that
    /// went on after an apology, and was heard again, completed — its failure reason stays on record). A transfer
    /// the phone network took is a completed call whatever caused it.
    /// </summary>
    public bool EndedInFailure
    {
        get
        {
            lock (_gate)
                return _failureReason is not null && _transfer is not (TransferProgress.Accepted or TransferProgress.Requested) && _lastCallerTurn <= _lastFailure;
        }
    }

    /// <summary>How the call ends, given the session's own failure (server shutdown, a fault) if any.</summary>
    public CallEnd End(string? sessionFailure, DateTimeOffset endedAt, int durationSeconds)
    {
        var failure = sessionFailure ?? (EndedInFailure ? FailureReason : null);
        lock (_gate)
        {
            // A caller who hangs up while the network is still taking the redirect was handed over.
            var outcome = _doNotCall ? CallOutcome.DoNotCall
                : _transfer == TransferProgress.Requested ? CallOutcome.Transferred
                : _latestOutcome is { } latest ? latest
                : failure is not null ? CallOutcome.Failed
                : _turns <= 1 ? CallOutcome.Abandoned
                : CallOutcome.InformationProvided;
            return new CallEnd(failure is not null ? CallEndStatus.Failed : CallEndStatus.Completed, outcome,
                failure ?? _failureReason, _leadId, endedAt, durationSeconds);
        }
    }
}

public enum TransferProgress { Requested, Accepted, Refused }

/// <summary>A fact a tool established during the call; the session applies it to the <see cref="CallState"/>.</summary>
public abstract record CallFact;

public sealed record LeadIdentified(int LeadId) : CallFact;

public sealed record LeadMarkedDoNotCall(int LeadId) : CallFact;

public sealed record ShowingWasBooked(int LeadId, int? ShowingId) : CallFact;

/// <summary>The caller left a message for a person to call back (after a transfer nobody answered, typically).</summary>
public sealed record MessageTaken(int LeadId, string Message) : CallFact;

/// <summary>The agent ended the call because the caller reached us by mistake (or is not the lead we called).</summary>
public sealed record WrongNumberReached : CallFact;

/// <summary>
/// What the agent's tools may know and say about the call: who is calling, which lead (read from the call state),
/// and the facts they establish (applied by the session, at once, so the next tool call sees them).
/// </summary>
public interface ICallFacts
{
    int? CallId { get; }

    /// <summary>The caller's number, by which update_lead finds their lead; null for a browser test call (no number).</summary>
    string? CallerPhone { get; }

    int? LeadId { get; }

    /// <summary>A browser test call: nothing the tools would save for a real caller (lead, showing, message) is saved.</summary>
    bool IsTestCall => false;

    void Report(CallFact fact);
}

/// <summary>No call behind the tools (the chat client's warm-up builds their schemas): facts go nowhere.</summary>
public sealed class NoCallFacts : ICallFacts
{
    public static readonly NoCallFacts Instance = new();
    public int? CallId => null;
    public string? CallerPhone => null;
    public int? LeadId => null;
    public void Report(CallFact fact) { }
}
