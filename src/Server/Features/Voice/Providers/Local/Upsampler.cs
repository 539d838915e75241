namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// 8 kHz to 16 kHz: each input sample is kept and a windowed-sinc interpolated sample inserted after it. Streaming:
/// keeps the last few input samples so frame boundaries leave no clicks. Output lags input by <see cref="Taps"/> samples.
/// </summary>
internal sealed class Upsampler
{
    private const int Taps = 8; // per side: 16-tap half-band interpolator
    private static readonly double[] Kernel = BuildKernel();
    private readonly short[] _history = new short[2 * Taps];
    private int _filled;

    /// <summary>Writes 2x <paramref name="input"/>.Length samples (after the initial lag) into <paramref name="output"/>; returns how many.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var written = 0;
        foreach (var sample in input)
        {
            Array.Copy(_history, 1, _history, 0, _history.Length - 1);
            _history[^1] = sample;
            if (_filled < _history.Length) { _filled++; if (_filled < _history.Length) continue; }
            // Centre sits between history[Taps-1] and history[Taps].
            double interpolated = 0;
            for (var k = 0; k < 2 * Taps; k++) interpolated += Kernel[k] * _history[k];
            output[written++] = _history[Taps - 1];
            output[written++] = (short)Math.Clamp(Math.Round(interpolated), short.MinValue, short.MaxValue);
        }
        return written;
    }

    private static double[] BuildKernel()
    {
        var kernel = new double[2 * Taps];
        for (var k = 0; k < 2 * Taps; k++)
        {
            var x = k - Taps + 0.5; // distance (in input samples) from the half-way point
            var sinc = Math.Sin(Math.PI * x) / (Math.PI * x);
            var window = 0.5 * (1 + Math.Cos(Math.PI * x / (Taps + 0.5))); // Hann
            kernel[k] = sinc * window;
        }
        var sum = kernel.Sum();
        for (var k = 0; k < kernel.Length; k++) kernel[k] /= sum;
        return kernel;
    }
}
