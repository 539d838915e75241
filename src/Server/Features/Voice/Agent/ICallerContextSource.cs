using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice.Agent;

/// <summary>Reads, once per call as it starts, what the CRM knows about the other party.</summary>
public interface ICallerContextSource
{
    Task<CallerContext> LoadAsync(VoiceCall call, CancellationToken cancellationToken);
}
