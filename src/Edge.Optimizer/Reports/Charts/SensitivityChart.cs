using System.Globalization;
using ScottPlot;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>
/// Prune sensitivity: accuracy drop in points against the pruned fraction (in percent), one line with markers per unit,
/// and a dashed horizontal line at the accuracy budget when one is given. The legend sits to the right of the plot, so
/// it never covers a curve; with many units only the first <see cref="MaxLegendEntries"/> are named there.
/// </summary>
internal static class SensitivityChart
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 480;

    /// <summary>Most units named in the legend (every curve is drawn).</summary>
    public const int MaxLegendEntries = 24;

    /// <summary>Writes the chart of <paramref name="lines"/> to <paramref name="path"/> as SVG.</summary>
    /// <param name="lines">One curve per unit.</param>
    /// <param name="budgetPoints">The accuracy budget in points, drawn as a dashed line; <see langword="null"/> for none.</param>
    /// <param name="path">The SVG file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="title">The chart's title.</param>
    /// <exception cref="ArgumentException">No line, a line without points or name, a ratio outside 0..1, or a non-finite value.</exception>
    public static async Task WriteAsync(
        IReadOnlyList<SensitivityLine> lines, double? budgetPoints, string path, CancellationToken cancellationToken, string title = "Accuracy drop per layer")
    {
        using var plot = Create(lines, budgetPoints, title);
        await ChartFile.SaveSvgAsync(plot, Width, Height, path, cancellationToken);
    }

    /// <summary>Builds the plot without writing it; the caller disposes it.</summary>
    public static Plot Create(IReadOnlyList<SensitivityLine> lines, double? budgetPoints, string title = "Accuracy drop per layer")
    {
        Validate(lines, budgetPoints);
        var plot = ChartStyle.NewPlot(title, "pruned fraction of the unit (%)", "accuracy drop (points)");
        try
        {
            for (var index = 0; index < lines.Count; index++)
            {
                var line = lines[index];
                var xs = line.Points.Select(p => p.Ratio * 100).ToArray();
                var ys = line.Points.Select(p => p.DropPoints).ToArray();
                var scatter = plot.Add.Scatter(xs, ys, ChartStyle.SeriesColor(index));
                scatter.LineWidth = 1.5f;
                scatter.MarkerSize = 4;
                scatter.LegendText = index < MaxLegendEntries ? ChartStyle.Shorten(line.Unit, 28) : "";
            }

            if (budgetPoints is { } budget)
            {
                var limit = plot.Add.HorizontalLine(budget, 1.5f, Colors.Black, LinePattern.Dashed);
                limit.LegendText = string.Create(CultureInfo.InvariantCulture, $"budget {ChartStyle.Number(budget)} points");
            }

            var named = Math.Min(lines.Count, MaxLegendEntries) + (budgetPoints is null ? 0 : 1);
            ChartStyle.ShowLegendIfSeveral(plot, named);

            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    private static void Validate(IReadOnlyList<SensitivityLine> lines, double? budgetPoints)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            throw new ArgumentException("No sensitivity curves to chart: pass at least one unit's curve.", nameof(lines));
        }

        if (budgetPoints is { } budget && !double.IsFinite(budget))
        {
            throw new ArgumentException($"The accuracy budget must be a finite number of points, not {budget}.", nameof(budgetPoints));
        }

        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line.Unit))
            {
                throw new ArgumentException("A sensitivity curve has no unit name.", nameof(lines));
            }

            if (line.Points is null || line.Points.Count == 0)
            {
                throw new ArgumentException($"The sensitivity curve of '{line.Unit}' has no points.", nameof(lines));
            }

            for (var i = 0; i < line.Points.Count; i++)
            {
                var point = line.Points[i];
                if (!double.IsFinite(point.Ratio) || point.Ratio is < 0 or > 1)
                {
                    throw new ArgumentException($"Point {i} of '{line.Unit}' has ratio {point.Ratio}; a pruned fraction is between 0 and 1.", nameof(lines));
                }

                if (!double.IsFinite(point.DropPoints))
                {
                    throw new ArgumentException($"Point {i} of '{line.Unit}' has a non-finite accuracy drop ({point.DropPoints}).", nameof(lines));
                }
            }
        }
    }
}
