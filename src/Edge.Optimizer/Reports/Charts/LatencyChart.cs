using System.Globalization;
using Edge.Optimizer.Evaluation;
using ScottPlot;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>
/// Latency distributions before and after: the per-run milliseconds of the original and the optimized model as two
/// overlaid, half-transparent histograms on shared bins, with each model's p50 (nearest rank, as the reports compute
/// it with <see cref="LatencyStats"/>) marked by a dashed vertical line of the same colour.
/// </summary>
internal static class LatencyChart
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 800;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 480;

    /// <summary>Most histogram bins.</summary>
    public const int MaxBins = 40;

    /// <summary>Writes the chart to <paramref name="path"/> as SVG.</summary>
    /// <param name="originalMilliseconds">Per-run latency of the original model, in milliseconds.</param>
    /// <param name="optimizedMilliseconds">Per-run latency of the optimized model, in milliseconds.</param>
    /// <param name="path">The SVG file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="optimizedName">What the optimized model is called in the legend ("quantized", "pruned", ...).</param>
    /// <param name="title">The chart's title.</param>
    /// <exception cref="ArgumentException">Either list is empty or holds a negative or non-finite value.</exception>
    public static async Task WriteAsync(
        IReadOnlyList<double> originalMilliseconds,
        IReadOnlyList<double> optimizedMilliseconds,
        string path,
        CancellationToken cancellationToken,
        string optimizedName = "optimized",
        string title = "Latency per run")
    {
        using var plot = Create(originalMilliseconds, optimizedMilliseconds, optimizedName, title);
        await ChartFile.SaveSvgAsync(plot, Width, Height, path, cancellationToken);
    }

    /// <summary>Builds the plot without writing it; the caller disposes it.</summary>
    public static Plot Create(
        IReadOnlyList<double> originalMilliseconds, IReadOnlyList<double> optimizedMilliseconds, string optimizedName = "optimized", string title = "Latency per run")
    {
        Validate(originalMilliseconds, nameof(originalMilliseconds));
        Validate(optimizedMilliseconds, nameof(optimizedMilliseconds));
        ArgumentException.ThrowIfNullOrWhiteSpace(optimizedName);

        var (start, width, bins) = Bins(originalMilliseconds, optimizedMilliseconds);
        var plot = ChartStyle.NewPlot(title, "latency per run (ms)", "runs");
        try
        {
            plot.Axes.Left.TickGenerator = ChartStyle.InvariantTicks(integerOnly: true);
            Add(plot, originalMilliseconds, "original", 0, start, width, bins);
            Add(plot, optimizedMilliseconds, optimizedName, 1, start, width, bins);
            plot.Axes.Margins(bottom: 0);
            plot.ShowLegend(Alignment.UpperRight);
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    /// <summary>Shared bins over both samples: the start, the width and the count; never a zero width.</summary>
    private static (double Start, double Width, int Count) Bins(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var low = Math.Min(first.Min(), second.Min());
        var high = Math.Max(first.Max(), second.Max());
        var count = Math.Clamp((int)Math.Ceiling(2 * Math.Sqrt(Math.Max(first.Count, second.Count))), 5, MaxBins);
        if (high - low < 1e-9)
        {
            // Every run took the same time: centre one small bin on it.
            var half = Math.Max(Math.Abs(low) * 0.05, 0.01);
            return (low - half, 2 * half, 1);
        }

        return (low, (high - low) / count, count);
    }

    private static void Add(Plot plot, IReadOnlyList<double> samples, string name, int colorIndex, double start, double width, int bins)
    {
        var counts = new int[bins];
        foreach (var sample in samples)
        {
            counts[Math.Clamp((int)((sample - start) / width), 0, bins - 1)]++;
        }

        var color = ChartStyle.SeriesColor(colorIndex);
        var bars = counts
            .Select((count, bin) => (count, bin))
            .Where(b => b.count > 0)
            .Select(b => new Bar { Position = start + ((b.bin + 0.5) * width), Value = b.count, Size = width, FillColor = color.WithAlpha(0.5), LineWidth = 0 })
            .ToArray();
        var histogram = plot.Add.Bars(bars);
        histogram.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name} ({samples.Count} runs)");

        var p50 = LatencyStats.From([.. samples]).P50Ms;
        var marker = plot.Add.VerticalLine(p50, 2, color, LinePattern.Dashed);
        marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name} p50 {ChartStyle.Number(p50, 3)} ms");
    }

    private static void Validate(IReadOnlyList<double> samples, string parameter)
    {
        ArgumentNullException.ThrowIfNull(samples, parameter);
        if (samples.Count == 0)
        {
            throw new ArgumentException("No latency samples: the chart needs at least one run per model.", parameter);
        }

        for (var i = 0; i < samples.Count; i++)
        {
            if (!double.IsFinite(samples[i]) || samples[i] < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Run {i} has latency {samples[i]} ms; a latency is a finite, non-negative number of milliseconds."), parameter);
            }
        }
    }
}
