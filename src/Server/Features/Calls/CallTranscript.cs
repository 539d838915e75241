using System.Text;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls;

/// <summary>
/// A call's <c>transcript_text</c> built from its saved turns ("Caller: …" / "Agent: …", one line per turn, in order):
/// the one place for it, whether the call ended normally, was finalised by the lease sweeper (its node died) or is
/// shown before either happened.
/// </summary>
public static class CallTranscript
{
    /// <summary>Null when the call has no turns.</summary>
    public static async Task<string?> BuildAsync(AppDbContext db, int callId, CancellationToken cancellationToken)
    {
        var turns = await db.CallTurns.AsNoTracking().Where(t => t.CallId == callId).OrderBy(t => t.Sequence)
            .Select(t => new { t.Speaker, t.Text }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Render(turns.Select(t => (t.Speaker, t.Text)));
    }

    /// <summary>Null when there are no turns.</summary>
    public static string? Render(IEnumerable<(Speaker Speaker, string Text)> turns)
    {
        var transcript = new StringBuilder();
        foreach (var (speaker, text) in turns) transcript.Append(Label(speaker)).Append(": ").Append(text).Append('\n');
        return transcript.Length == 0 ? null : transcript.ToString().TrimEnd();
    }

    private static string Label(Speaker speaker) => speaker switch
    {
        Speaker.Caller => "Caller",
        Speaker.Agent => "Agent",
        _ => "System",
    };
}
