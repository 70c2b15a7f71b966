using ScottPlot;
using ScottPlot.TickGenerators;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>
/// Per-layer SQNR as horizontal bars, one per layer, top to bottom in the order given (horizontal so that long node
/// names stay readable). More than <see cref="MaxLayers"/> layers are cut to the worst ones (lowest SQNR), still in the
/// given order, and the title says so. Layers without a finite SQNR cannot be drawn as a bar; they are left out and
/// counted in the title.
/// </summary>
internal static class LayerSqnrChart
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 640;

    /// <summary>Most bars drawn; beyond this the labels no longer fit the fixed height.</summary>
    public const int MaxLayers = 40;

    /// <summary>Writes the chart of <paramref name="layers"/> to <paramref name="path"/> as SVG.</summary>
    /// <exception cref="ArgumentException"><paramref name="layers"/> is empty, has a blank name, a NaN SQNR, or no finite SQNR at all.</exception>
    public static async Task WriteAsync(IReadOnlyList<LayerSqnr> layers, string path, CancellationToken cancellationToken, string title = "Per-layer SQNR")
    {
        using var plot = Create(layers, title);
        await ChartFile.SaveSvgAsync(plot, Width, Height, path, cancellationToken);
    }

    /// <summary>Builds the plot without writing it; the caller disposes it.</summary>
    public static Plot Create(IReadOnlyList<LayerSqnr> layers, string title = "Per-layer SQNR")
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("No layers to chart: the SQNR chart needs at least one layer.", nameof(layers));
        }

        foreach (var layer in layers)
        {
            if (string.IsNullOrWhiteSpace(layer.Layer))
            {
                throw new ArgumentException("A layer in the SQNR chart has no name.", nameof(layers));
            }

            if (double.IsNaN(layer.SqnrDecibels))
            {
                throw new ArgumentException($"Layer '{layer.Layer}' has a NaN SQNR; pass the measured value, or leave the layer out.", nameof(layers));
            }
        }

        var finite = layers.Where(l => double.IsFinite(l.SqnrDecibels)).ToList();
        if (finite.Count == 0)
        {
            throw new ArgumentException($"None of the {layers.Count} layers has a finite SQNR, so there is no bar to draw.", nameof(layers));
        }

        var notes = new List<string>();
        var shown = finite;
        if (finite.Count > MaxLayers)
        {
            var worst = finite.OrderBy(l => l.SqnrDecibels).Take(MaxLayers).ToHashSet();
            shown = [.. finite.Where(worst.Contains)];
            notes.Add($"{MaxLayers} worst of {finite.Count} layers");
        }

        if (finite.Count < layers.Count)
        {
            notes.Add($"{layers.Count - finite.Count} without a finite SQNR left out");
        }

        var heading = notes.Count == 0 ? title : $"{title} ({string.Join("; ", notes)})";
        var plot = ChartStyle.NewPlot(heading, "SQNR (dB)", "layer");
        try
        {
            var bars = shown.Select((layer, index) => new Bar
            {
                Position = shown.Count - 1 - index,
                Value = layer.SqnrDecibels,
                FillColor = ChartStyle.SeriesColor(0),
                LineWidth = 0,
                Orientation = Orientation.Horizontal,
            }).ToArray();
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            var positions = bars.Select(b => b.Position).ToArray();
            var labels = shown.Select(l => ChartStyle.Shorten(l.Layer)).ToArray();
            plot.Axes.Left.TickGenerator = new NumericManual(positions, labels);
            plot.Axes.Left.MajorTickStyle.Length = 0;
            plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.02, top: 0.02);
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }
}
