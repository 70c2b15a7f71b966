using System.Globalization;
using Edge.Optimizer.Pipeline.Measurement;

namespace Edge.Optimizer.Reports;

/// <summary>
/// The report's first line: the final model against the original, in the three things a user weighs (size, latency,
/// accuracy), and plainly whether it is worse on any of them. Only measured figures are named.
/// </summary>
internal static class Verdict
{
    /// <summary>Top-1 may drop by this many points before the verdict calls the model less accurate (sampling noise on small sets).</summary>
    public const double AccuracyNoisePoints = 0.1;

    /// <summary>The verdict on the last of <paramref name="models"/> against the first (the original).</summary>
    public static string For(IReadOnlyList<ModelFigures> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return models.Count < 2 ? "Verdict: the model is unchanged (packed as it is)." : Describe(models[0], models[^1]);
    }

    public static string Describe(ModelFigures original, ModelFigures final)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(final);
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        var worse = new List<string>();
        var sizeRatio = (double)final.Bytes / original.Bytes;
        parts.Add(string.Create(c, $"{(sizeRatio <= 1 ? "smaller" : "larger")} ({sizeRatio:0.###}x the bytes)"));
        if (sizeRatio > 1)
        {
            worse.Add("size");
        }

        if (original.Latency is { } before && final.Latency is { } after)
        {
            var ratio = after.P50Ms / before.P50Ms;
            parts.Add(string.Create(c, $"{(ratio <= 1 ? "faster" : "slower")} (p50 {ratio:0.###}x, {before.P50Ms:0.###} -> {after.P50Ms:0.###} ms)"));
            if (ratio > 1)
            {
                worse.Add("latency");
            }
        }
        else
        {
            parts.Add("latency not measured");
        }

        if (original.Top1 is { } top1Before && final.Top1 is { } top1After)
        {
            var drop = 100 * (top1Before - top1After);
            parts.Add(string.Create(c, $"top-1 {100 * top1Before:0.##}% -> {100 * top1After:0.##}% ({-drop:+0.##;-0.##;0} points)"));
            if (drop > AccuracyNoisePoints)
            {
                worse.Add("accuracy");
            }
        }
        else if (final.Agreement is { } agreement)
        {
            parts.Add(string.Create(c, $"agrees with the original on {100 * agreement:0.##}% of samples"));
        }
        else
        {
            parts.Add("accuracy not measured");
        }

        var summary = $"{string.Join(", ", parts)}.";
        return worse.Count == 0
            ? $"Verdict: the result is {summary}"
            : $"Verdict: worse than the original in {string.Join(" and ", worse)}: the result is {summary} Keep the original where {string.Join(" or ", worse)} matters.";
    }
}
