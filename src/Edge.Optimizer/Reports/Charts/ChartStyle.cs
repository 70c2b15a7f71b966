using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>What every chart shares: font, title, axis labels, invariant-culture tick labels and the series colours.</summary>
internal static class ChartStyle
{
    private static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    /// <summary>A new plot with the chart font, <paramref name="title"/> and the two axis labels; the caller disposes it.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        ChartFonts.EnsureRegistered();
        var plot = new Plot();
        try
        {
            plot.Title(title);
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            plot.Axes.Bottom.TickGenerator = InvariantTicks();
            plot.Axes.Left.TickGenerator = InvariantTicks();
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    /// <summary>Automatic ticks whose labels are formatted with the invariant culture, whatever the thread's culture.</summary>
    public static NumericAutomatic InvariantTicks(bool integerOnly = false) => new()
    {
        LabelFormatter = value => value.ToString("G5", CultureInfo.InvariantCulture),
        IntegerTicksOnly = integerOnly,
    };

    /// <summary>The colour of series number <paramref name="index"/> (Category10, repeating after ten).</summary>
    public static Color SeriesColor(int index) => Palette[index % Palette.Length];

    /// <summary><paramref name="value"/> with up to <paramref name="decimals"/> decimals, invariant culture.</summary>
    public static string Number(double value, int decimals = 2) =>
        Math.Round(value, decimals).ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>At most <paramref name="length"/> characters of <paramref name="label"/>, keeping its end (node names differ at the end).</summary>
    public static string Shorten(string label, int length = 32) =>
        label.Length <= length ? label : "…" + label[^(length - 1)..];

    /// <summary>A legend on the right, outside the data, when more than one entry is named; otherwise none.</summary>
    public static void ShowLegendIfSeveral(Plot plot, int namedEntries)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (namedEntries > 1)
        {
            plot.ShowLegend(ScottPlot.Edge.Right);
        }
        else
        {
            // ScottPlot shows a legend as soon as a series has legend text; one series needs none.
            plot.HideLegend();
        }
    }
}
