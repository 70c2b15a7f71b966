using ScottPlot;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>
/// The search's latency against accuracy: one point per measured candidate (p50 ratio to the original on x, accuracy
/// drop in points on y; lower-left is better), the Pareto front as a line through the candidates no other beats on
/// both, the original at (1, 0), a dashed line at the accuracy budget, and the choice ringed.
/// </summary>
internal static class TradeOffChart
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 520;

    /// <summary>Writes the chart to <paramref name="path"/> as SVG.</summary>
    /// <exception cref="ArgumentException">No point, or a non-finite value.</exception>
    public static async Task WriteAsync(IReadOnlyList<TradeOffPoint> points, double budgetPoints, string path, CancellationToken cancellationToken, string title = "Latency against accuracy")
    {
        using var plot = Create(points, budgetPoints, title);
        await ChartFile.SaveSvgAsync(plot, Width, Height, path, cancellationToken);
    }

    /// <summary>The candidates no other candidate beats on both latency and accuracy, fastest first.</summary>
    public static IReadOnlyList<TradeOffPoint> Front(IReadOnlyList<TradeOffPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return [.. points
            .Where(p => !points.Any(q => !ReferenceEquals(p, q) && q.P50Ratio <= p.P50Ratio && q.DropPoints <= p.DropPoints && (q.P50Ratio < p.P50Ratio || q.DropPoints < p.DropPoints)))
            .OrderBy(p => p.P50Ratio)];
    }

    /// <summary>Builds the plot without writing it; the caller disposes it.</summary>
    public static Plot Create(IReadOnlyList<TradeOffPoint> points, double budgetPoints, string title = "Latency against accuracy")
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("The chart needs at least one candidate.", nameof(points));
        }

        if (points.Any(p => !double.IsFinite(p.P50Ratio) || !double.IsFinite(p.DropPoints)) || !double.IsFinite(budgetPoints))
        {
            throw new ArgumentException("Every ratio, drop and the budget must be finite numbers.", nameof(points));
        }

        var plot = ChartStyle.NewPlot(title, "p50 latency against the original (1 = as fast; left is faster)", "accuracy drop (points; lower is better)");
        try
        {
            var front = Front(points);
            var line = plot.Add.Scatter(front.Select(p => p.P50Ratio).ToArray(), front.Select(p => p.DropPoints).ToArray(), ChartStyle.SeriesColor(0));
            line.LineWidth = 1.5f;
            line.MarkerSize = 0;
            line.LegendText = "Pareto front";
            for (var i = 0; i < points.Count; i++)
            {
                var point = points[i];
                var marker = plot.Add.Marker(point.P50Ratio, point.DropPoints, MarkerShape.FilledCircle, 8, ChartStyle.SeriesColor(i + 1));
                marker.LegendText = ChartStyle.Shorten(point.Name, 30);
                if (point.Chosen)
                {
                    var ring = plot.Add.Marker(point.P50Ratio, point.DropPoints, MarkerShape.OpenCircle, 20, Colors.Black);
                    ring.LegendText = $"chosen: {ChartStyle.Shorten(point.Name, 24)}";
                }
            }

            var budget = plot.Add.HorizontalLine(budgetPoints, 1.5f, Colors.Black, LinePattern.Dashed);
            budget.LegendText = $"budget {ChartStyle.Number(budgetPoints)} points";
            var original = plot.Add.VerticalLine(1, 1f, Colors.Gray, LinePattern.Dotted);
            original.LegendText = "as fast as the original";
            ChartStyle.ShowLegendIfSeveral(plot, 3 + points.Count);
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }
}
