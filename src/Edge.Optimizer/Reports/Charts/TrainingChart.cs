using ScottPlot;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>
/// Training progress by epoch: loss as solid lines on the left axis and accuracy as dashed lines on the right axis,
/// one colour per run, and the legend outside the plot on the right.
/// Epochs without an accuracy are skipped on the accuracy line (it joins the evaluated epochs);
/// a run with no accuracy at all has no accuracy line. Non-finite values (a diverged loss) are left out and counted in
/// the title.
/// </summary>
internal static class TrainingChart
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 960;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 480;

    /// <summary>Writes the chart of <paramref name="runs"/> to <paramref name="path"/> as SVG.</summary>
    /// <exception cref="ArgumentException">No run, a run without a name or epochs, or no finite loss at all.</exception>
    public static async Task WriteAsync(IReadOnlyList<TrainingRun> runs, string path, CancellationToken cancellationToken, string title = "Distillation")
    {
        using var plot = Create(runs, title);
        await ChartFile.SaveSvgAsync(plot, Width, Height, path, cancellationToken);
    }

    /// <summary>Builds the plot without writing it; the caller disposes it.</summary>
    public static Plot Create(IReadOnlyList<TrainingRun> runs, string title = "Distillation")
    {
        Validate(runs);
        var skipped = runs.Sum(r => r.Epochs.Count(e => !double.IsFinite(e.Loss) || e.AccuracyPercent is { } a && !double.IsFinite(a)));
        var heading = skipped == 0 ? title : $"{title} ({skipped} non-finite values left out)";
        var plot = ChartStyle.NewPlot(heading, "epoch", "loss");
        try
        {
            plot.Axes.Bottom.TickGenerator = ChartStyle.InvariantTicks(integerOnly: true);
            var anyAccuracy = false;
            var series = 0;
            for (var index = 0; index < runs.Count; index++)
            {
                var run = runs[index];
                var epochs = run.Epochs.OrderBy(e => e.Epoch).ToList();
                var color = ChartStyle.SeriesColor(index);
                var prefix = runs.Count > 1 ? ChartStyle.Shorten(run.Name, 24) + " " : "";
                var losses = epochs.Where(e => double.IsFinite(e.Loss)).ToList();
                if (losses.Count > 0)
                {
                    var loss = plot.Add.Scatter(losses.Select(e => (double)e.Epoch).ToArray(), losses.Select(e => e.Loss).ToArray(), color);
                    loss.LineWidth = 1.5f;
                    loss.MarkerSize = 4;
                    loss.LegendText = prefix + "loss";
                    series++;
                }

                var evaluated = epochs.Where(e => e.AccuracyPercent is { } a && double.IsFinite(a)).ToList();
                if (evaluated.Count > 0)
                {
                    var accuracy = plot.Add.Scatter(evaluated.Select(e => (double)e.Epoch).ToArray(), evaluated.Select(e => e.AccuracyPercent!.Value).ToArray(), color);
                    accuracy.LineWidth = 1.5f;
                    accuracy.LinePattern = LinePattern.Dashed;
                    accuracy.MarkerSize = 4;
                    accuracy.MarkerShape = MarkerShape.OpenSquare;
                    accuracy.LegendText = prefix + "accuracy";
                    accuracy.Axes.YAxis = plot.Axes.Right;
                    anyAccuracy = true;
                    series++;
                }
            }

            if (anyAccuracy)
            {
                plot.Axes.Right.Label.Text = "accuracy (%)";
                plot.Axes.Right.TickGenerator = ChartStyle.InvariantTicks();
            }

            // Outside the data area: the falling loss and the rising accuracy leave no corner free.
            ChartStyle.ShowLegendIfSeveral(plot, series);

            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    private static void Validate(IReadOnlyList<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("No training runs to chart: pass at least one run.", nameof(runs));
        }

        foreach (var run in runs)
        {
            if (string.IsNullOrWhiteSpace(run.Name))
            {
                throw new ArgumentException("A training run has no name.", nameof(runs));
            }

            if (run.Epochs is null || run.Epochs.Count == 0)
            {
                throw new ArgumentException($"Training run '{run.Name}' has no epochs.", nameof(runs));
            }
        }

        if (!runs.Any(r => r.Epochs.Any(e => double.IsFinite(e.Loss))))
        {
            throw new ArgumentException("No epoch of any run has a finite loss, so there is no line to draw.", nameof(runs));
        }
    }
}
