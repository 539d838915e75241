using System.Collections.Concurrent;

namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>Call rows in memory: the voice loop's store until the database one is wired in, and the tests' inspectable one.</summary>
public sealed class InMemoryVoiceCallStore(TimeProvider time) : IVoiceCallStore
{
    private readonly ConcurrentDictionary<int, CallRow> _calls = new();
    private int _nextId;

    public sealed class CallRow
    {
        public required int Id { get; init; }
        public required string CallSid { get; init; }
        public string? FromNumber { get; init; }
        public string? StreamTokenHash { get; set; }
        public DateTimeOffset? StreamStartedAt { get; set; }
        public string? StreamSid { get; set; }
        public string Status { get; set; } = "in-progress";
        public string? Outcome { get; set; }
        public string? FailureReason { get; set; }
        public int? LeadId { get; set; }
        public int? AgentId { get; set; }
        public DateTimeOffset? EndedAt { get; set; }
        public int? DurationSeconds { get; set; }
        public ConcurrentQueue<CallTurnRecord> Turns { get; } = new();
    }

    public IReadOnlyDictionary<int, CallRow> Calls => _calls;

    /// <summary>What the Twilio webhook does: creates the row and returns the stream token to hand to Twilio.</summary>
    public (int CallId, string StreamToken) RegisterCall(string callSid, string from, int? agentId = null)
    {
        var token = StreamTokens.Create();
        var id = Interlocked.Increment(ref _nextId);
        _calls[id] = new CallRow { Id = id, CallSid = callSid, FromNumber = from, StreamTokenHash = StreamTokens.Hash(token), AgentId = agentId };
        return (id, token);
    }

    public Task<StreamClaim> ClaimStreamAsync(int callId, string? streamToken, string? streamSid, CancellationToken cancellationToken)
    {
        if (!_calls.TryGetValue(callId, out var row)) return Task.FromResult(new StreamClaim(StreamClaimResult.UnknownCall, null));
        lock (row)
        {
            if (row.EndedAt is not null) return Task.FromResult(new StreamClaim(StreamClaimResult.CallFinished, null));
            if (row.StreamStartedAt is not null) return Task.FromResult(new StreamClaim(StreamClaimResult.AlreadyStreaming, null));
            if (!StreamTokens.Matches(streamToken, row.StreamTokenHash)) return Task.FromResult(new StreamClaim(StreamClaimResult.BadToken, null));
            row.StreamStartedAt = time.GetUtcNow();
            row.StreamTokenHash = null;
            row.StreamSid = streamSid;
            return Task.FromResult(new StreamClaim(StreamClaimResult.Accepted, new VoiceCall(row.Id, row.CallSid, row.FromNumber, row.LeadId, row.AgentId)));
        }
    }

    public Task<VoiceCall> CreateBrowserCallAsync(int? userId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var row = new CallRow { Id = id, CallSid = "BR" + Guid.NewGuid().ToString("N"), FromNumber = "browser", AgentId = userId, StreamStartedAt = time.GetUtcNow() };
        _calls[id] = row;
        return Task.FromResult(new VoiceCall(id, row.CallSid, row.FromNumber, null, userId));
    }

    public Task AppendTurnAsync(int callId, CallTurnRecord turn, CancellationToken cancellationToken)
    {
        if (_calls.TryGetValue(callId, out var row)) row.Turns.Enqueue(turn);
        return Task.CompletedTask;
    }

    public Task MarkFailureAsync(int callId, string reason, CancellationToken cancellationToken)
    {
        if (_calls.TryGetValue(callId, out var row)) lock (row) row.FailureReason = reason;
        return Task.CompletedTask;
    }

    public Task FinishCallAsync(int callId, CallEnd end, CancellationToken cancellationToken)
    {
        if (!_calls.TryGetValue(callId, out var row)) return Task.CompletedTask;
        lock (row)
        {
            if (row.EndedAt is not null) return Task.CompletedTask;
            row.Status = end.Status == CallEndStatus.Completed ? "completed" : "failed";
            row.Outcome = end.Outcome;
            row.FailureReason ??= end.FailureReason;
            row.LeadId = end.LeadId ?? row.LeadId;
            row.EndedAt = end.EndedAt;
            row.DurationSeconds = end.DurationSeconds;
        }
        return Task.CompletedTask;
    }
}
