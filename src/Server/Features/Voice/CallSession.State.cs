using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The one writer of the call's <see cref="CallState"/>: facts reported by the agent's tools, turns and failures
/// observed in the pipeline, and the call-control results the output end sends back up (a transfer taken or refused,
/// the agent hanging up) are applied here, and nowhere else.
/// </summary>
public sealed partial class CallSession
{
    /// <summary>Call-control results leaving the pipeline's head upstream.</summary>
    private ValueTask ApplyAsync(Frame frame)
    {
        switch (frame)
        {
            case TransferUpdateFrame update:
                _state?.Apply(update.Progress);
                // Twilio ends the stream itself after a redirect; ending it here too covers the case it does not.
                if (update.Progress == TransferProgress.Accepted) return EndAsync("transferred: " + update.Reason);
                break;
            case CallEndedFrame ended:
                return EndAsync(ended.Reason);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>What the agent's tools know of the call; what they establish goes straight into the state.</summary>
    private sealed class SessionFacts(CallSession session, int callId, string? callerPhone, CallState state, bool isTest) : ICallFacts
    {
        public int? CallId => callId;
        public bool IsTestCall => isTest;
        public string? CallerPhone => callerPhone;
        public int? LeadId => state.LeadId;

        public void Report(CallFact fact)
        {
            state.Apply(fact);
            session.LogFact(callId, fact.ToString());
        }
    }

    /// <summary>
    /// The pipeline's observer: turns go to the recorder (caller turns mapped from the audio timeline onto the call's
    /// clock, so both speakers' offsets are on one clock), and the state counts them and the failures.
    /// </summary>
    private sealed class SessionObserver(CallRecorder recorder, CallState state, CallClock clock, Recording.CallRecording? recording) : ICallObserver
    {
        public void OnUserTranscript(string text, bool isFinal) => recorder.OnUserTranscript(text, isFinal);

        public void OnUserTurn(UserTurnRecord turn)
        {
            state.TurnRecorded(caller: true);
            var onClock = turn with { Start = clock.FromAudio(turn.Start), End = clock.FromAudio(turn.End) };
            recording?.CallerSaid(onClock.Text, onClock.Start); // the first after the recording question answers it, when the call asked it
            recorder.OnUserTurn(onClock);
        }

        public void OnAgentTurn(AgentTurnRecord turn)
        {
            state.TurnRecorded(caller: false);
            recording?.AgentSaid(turn);
            recorder.OnAgentTurn(turn);
        }

        public void OnToolCall(ToolCallRecord call) => recorder.OnToolCall(call);

        public void OnProviderFailure(string source, string message)
        {
            state.ProviderFailed(source, message);
            recorder.OnProviderFailure(source, message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: {Fact}")]
    private partial void LogFact(int callId, string fact);
}
