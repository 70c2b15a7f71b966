using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Tests.Reports.Charts;

public sealed class LatencyChartTests
{
    private const string Blue = "#1F77B4";
    private const string Orange = "#FF7F0E";

    [Fact]
    public async Task WriteAsync_TwoSamples_DrawsSharedBinHistogramsAndMarksEachP50()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "l.svg");
        // 6 runs each: 5 bins of 5 ms over 5..30 ms. Original: five runs in [10, 15), one in [25, 30]; quantized: all in [5, 10).
        double[] original = [10, 12, 10, 30, 12, 10];
        double[] quantized = [5, 6, 7, 6, 5, 6];

        await LatencyChart.WriteAsync(original, quantized, path, CancellationToken.None, "quantized");

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal((LatencyChart.Width, LatencyChart.Height), (chart.Width, chart.Height));
        Assert.Contains("Latency per run", chart.Texts);
        Assert.Contains("latency per run (ms)", chart.Texts);
        Assert.Contains("runs", chart.Texts);
        // Nearest-rank p50, as LatencyStats reports it: the 3rd of 6 sorted runs.
        Assert.Equal(["original (6 runs)", "original p50 10 ms", "quantized (6 runs)", "quantized p50 6 ms"], chart.LegendTexts);

        var groups = chart.DataGroups;
        Assert.Equal(4, groups.Count);
        var originalBars = SvgChart.Filled(groups[0], Blue).Select(SvgChart.Box).OrderBy(b => b.Left).ToList();
        var quantizedBars = SvgChart.Filled(groups[2], Orange).Select(SvgChart.Box).ToList();
        Assert.Equal(2, originalBars.Count);
        Assert.Single(quantizedBars);
        double Height((double Left, double Top, double Right, double Bottom) b) => b.Bottom - b.Top;
        Assert.Equal(5.0, Height(originalBars[0]) / Height(originalBars[1]), 2);
        Assert.Equal(6.0 / 5.0, Height(quantizedBars[0]) / Height(originalBars[0]), 2);
        Assert.Equal(originalBars[0].Right - originalBars[0].Left, quantizedBars[0].Right - quantizedBars[0].Left, 2);

        // The p50 markers: original's at 10 ms, the left edge of its first bar; quantized's inside its bar.
        var originalP50 = SvgChart.Box(Assert.Single(SvgChart.Filled(groups[1], Blue)));
        var quantizedP50 = SvgChart.Box(Assert.Single(SvgChart.Filled(groups[3], Orange)));
        Assert.Equal(originalBars[0].Left, (originalP50.Left + originalP50.Right) / 2, 0);
        Assert.InRange((quantizedP50.Left + quantizedP50.Right) / 2, quantizedBars[0].Left, quantizedBars[0].Right);
    }

    [Fact]
    public async Task WriteAsync_OneRunEachSameLatency_DrawsOneBarEach()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "l.svg");

        await LatencyChart.WriteAsync([2.5], [2.5], path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Contains("optimized p50 2.5 ms", chart.LegendTexts);
        Assert.Single(SvgChart.Filled(chart.DataGroups[0], Blue));
        Assert.Single(SvgChart.Filled(chart.DataGroups[2], Orange));
    }

    [Fact]
    public void Create_NoOriginalRuns_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => LatencyChart.Create([], [1.0]));
        Assert.Equal("originalMilliseconds", error.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    public void Create_InvalidOptimizedRun_ThrowsNamingTheParameterAndRun(double latency)
    {
        var error = Assert.Throws<ArgumentException>(() => LatencyChart.Create([1.0, 1.1], [1.0, latency]));
        Assert.Equal("optimizedMilliseconds", error.ParamName);
        Assert.Contains("Run 1 has latency", error.Message, StringComparison.Ordinal);
    }
}
