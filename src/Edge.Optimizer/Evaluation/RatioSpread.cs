namespace Edge.Optimizer.Evaluation;

/// <summary>
/// How much a p50 ratio of two interleaved series moves within one run: the runs are cut into consecutive parts and
/// the ratio is taken per part. When the parts disagree by more than <see cref="NoisyFraction"/> of the whole run's
/// ratio, the machine was too noisy for that ratio to mean much (another program, frequency scaling, a busy core).
/// </summary>
public sealed record RatioSpread(int Parts, double Min, double Max, double Ratio)
{
    /// <summary>Parts that disagree by more than this fraction of the ratio make it noisy: 10 %.</summary>
    public const double NoisyFraction = 0.10;

    /// <summary>At most this many parts, each of at least <see cref="MinRunsPerPart"/> runs.</summary>
    public const int MaxParts = 5;

    /// <summary>The fewest runs a part's median is taken over.</summary>
    public const int MinRunsPerPart = 10;

    /// <summary>Whether the parts' ratios are spread wider than <see cref="NoisyFraction"/> of the ratio.</summary>
    public bool Noisy => Max - Min > NoisyFraction * Ratio;

    /// <summary>
    /// The spread of p50(<paramref name="first"/>) / p50(<paramref name="second"/>), paired run by run; null when there
    /// are too few runs for two parts.
    /// </summary>
    public static RatioSpread? From(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var runs = Math.Min(first.Count, second.Count);
        var parts = Math.Min(MaxParts, runs / MinRunsPerPart);
        if (parts < 2)
        {
            return null;
        }

        var ratios = new double[parts];
        var size = runs / parts;
        for (var p = 0; p < parts; p++)
        {
            var a = LatencyStats.From([.. first.Skip(p * size).Take(size)]).P50Ms;
            var b = LatencyStats.From([.. second.Skip(p * size).Take(size)]).P50Ms;
            ratios[p] = a / b;
        }

        var ratio = LatencyStats.From([.. first.Take(runs)]).P50Ms / LatencyStats.From([.. second.Take(runs)]).P50Ms;
        return new RatioSpread(parts, ratios.Min(), ratios.Max(), ratio);
    }
}
