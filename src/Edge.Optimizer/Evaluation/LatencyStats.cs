namespace Edge.Optimizer.Evaluation;

/// <summary>Latency percentiles (nearest rank) of measured runs, in milliseconds.</summary>
public sealed record LatencyStats(int Runs, double P50Ms, double P95Ms, double P99Ms, double MeanMs, double MinMs)
{
    public static LatencyStats From(IReadOnlyCollection<double> samplesMs)
    {
        if (samplesMs.Count == 0)
        {
            throw new ArgumentException("No latency samples were measured.", nameof(samplesMs));
        }

        var sorted = samplesMs.Order().ToArray();
        return new LatencyStats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted.Average(), sorted[0])
        {
            SamplesMs = [.. samplesMs],
        };
    }

    /// <summary>The measured runs in the order they ran, in milliseconds (for distribution plots).</summary>
    public IReadOnlyList<double> SamplesMs { get; init; } = [];

    /// <summary>Single-stream throughput implied by the mean latency, in inferences per second.</summary>
    public double ThroughputPerSecond => 1000.0 / MeanMs;

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
