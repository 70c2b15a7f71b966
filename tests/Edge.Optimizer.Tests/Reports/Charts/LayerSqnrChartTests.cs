using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Tests.Reports.Charts;

public sealed class LayerSqnrChartTests
{
    private const string Blue = "#1F77B4";

    [Fact]
    public async Task WriteAsync_FiveLayers_DrawsOneLabelledBarPerLayerTopToBottomWithLengthsBySqnr()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "sqnr.svg");
        LayerSqnr[] layers = [new("conv1", 31.5), new("conv2", 24.0), new("conv3", 12.25), new("fc1", 40.0), new("fc2", 18.0)];

        await LayerSqnrChart.WriteAsync(layers, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal((LayerSqnrChart.Width, LayerSqnrChart.Height), (chart.Width, chart.Height));
        Assert.Contains("Per-layer SQNR", chart.Texts);
        Assert.Contains("SQNR (dB)", chart.Texts);
        Assert.Contains("layer", chart.Texts);
        Assert.All(layers, l => Assert.Contains(l.Layer, chart.Texts));
        Assert.Empty(chart.LegendTexts);

        var bars = SvgChart.Filled(Assert.Single(chart.DataGroups), Blue).Select(SvgChart.Box).OrderBy(b => b.Top).ToList();
        Assert.Equal(layers.Length, bars.Count);
        var lengths = bars.Select(b => b.Right - b.Left).ToList();
        for (var i = 1; i < layers.Length; i++)
        {
            // Same scale for every bar: length ratios equal SQNR ratios (all bars start at 0 dB).
            Assert.Equal(layers[i].SqnrDecibels / layers[0].SqnrDecibels, lengths[i] / lengths[0], 2);
        }
    }

    [Fact]
    public async Task WriteAsync_MoreThanMaxLayers_KeepsTheWorstInGivenOrderAndSaysSoInTheTitle()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "sqnr.svg");
        var layers = Enumerable.Range(0, 55).Select(i => new LayerSqnr($"block{i}/Conv", 10 + ((i * 7) % 55))).ToList();

        await LayerSqnrChart.WriteAsync(layers, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Contains("Per-layer SQNR (40 worst of 55 layers)", chart.Texts);
        Assert.Equal(LayerSqnrChart.MaxLayers, SvgChart.Filled(Assert.Single(chart.DataGroups), Blue).Count);
        var worst = layers.OrderBy(l => l.SqnrDecibels).Take(LayerSqnrChart.MaxLayers).Select(l => l.Layer).ToHashSet();
        var shownNames = chart.Texts.Where(t => t.StartsWith("block", StringComparison.Ordinal)).ToList();
        Assert.Equal(layers.Select(l => l.Layer).Where(worst.Contains), shownNames);
    }

    [Fact]
    public async Task WriteAsync_InfiniteSqnr_LeavesTheLayerOutAndCountsItInTheTitle()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "sqnr.svg");

        await LayerSqnrChart.WriteAsync([new("conv1", 20), new("identity", double.PositiveInfinity)], path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Contains("Per-layer SQNR (1 without a finite SQNR left out)", chart.Texts);
        Assert.DoesNotContain("identity", chart.Texts);
        Assert.Single(SvgChart.Filled(Assert.Single(chart.DataGroups), Blue));
    }

    [Fact]
    public async Task WriteAsync_LongNodeName_KeepsItsEnd()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "sqnr.svg");
        var name = "/model/backbone/stage3/block7/depthwise/Conv_output_0";

        await LayerSqnrChart.WriteAsync([new(name, 20)], path, CancellationToken.None);

        var label = Assert.Single((await SvgChart.LoadAsync(path)).Texts, t => t.EndsWith("depthwise/Conv_output_0", StringComparison.Ordinal));
        Assert.StartsWith("…", label, StringComparison.Ordinal);
        Assert.Equal(32, label.Length);
    }

    [Fact]
    public void Create_NoLayers_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => LayerSqnrChart.Create([]));
        Assert.Equal("layers", error.ParamName);
    }

    [Fact]
    public void Create_NaNSqnr_ThrowsNamingTheLayer()
    {
        var error = Assert.Throws<ArgumentException>(() => LayerSqnrChart.Create([new("conv1", 20), new("conv2", double.NaN)]));
        Assert.Equal("layers", error.ParamName);
        Assert.Contains("'conv2' has a NaN SQNR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OnlyInfiniteSqnr_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => LayerSqnrChart.Create([new("a", double.PositiveInfinity)]));
        Assert.Contains("finite SQNR", error.Message, StringComparison.Ordinal);
    }
}
