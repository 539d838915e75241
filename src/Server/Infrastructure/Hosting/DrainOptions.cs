using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Infrastructure.Hosting;

/// <summary>
/// Section <c>Drain</c> (env <c>Drain__TimeoutSeconds</c>): how a node stops. On SIGTERM it stops taking new media
/// streams and reports not ready, lets the calls it carries go on for up to <see cref="TimeoutSeconds"/>, then ends
/// the ones left and exits. 0 ends the calls at once (what tests and a developer's Ctrl+C may want).
/// </summary>
public sealed class DrainOptions
{
    public const string Section = "Drain";

    /// <summary>How long live calls may go on after SIGTERM; default 10 minutes, the length of a long property enquiry.</summary>
    [Range(0, 86_400)] public int TimeoutSeconds { get; set; } = 600;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>
    /// Time for the calls ended at the deadline to finish ending (stop the reply, flush speech-to-text, write turns and
    /// the final status: each step is bounded, about 20 s in all at worst) before the host gives up on them.
    /// </summary>
    public static readonly TimeSpan EndingGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The host's <c>ShutdownTimeout</c> must cover the drain, the calls' ending and the server's own stop; an
    /// orchestrator's grace period (Kubernetes <c>terminationGracePeriodSeconds</c>) must be longer still.
    /// </summary>
    public TimeSpan ShutdownTimeout => Timeout + EndingGrace + TimeSpan.FromSeconds(30);
}
