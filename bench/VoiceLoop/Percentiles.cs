namespace EstateVoice.Bench.VoiceLoop;

public static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Summary(IReadOnlyList<double> values) =>
        values.Count == 0 ? "n/a" : $"p50 {Of(values, 50),6:0.0}  p95 {Of(values, 95),6:0.0}  p99 {Of(values, 99),6:0.0}  (n={values.Count})";
}
