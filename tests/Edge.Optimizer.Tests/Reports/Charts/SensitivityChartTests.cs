using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Tests.Reports.Charts;

public sealed class SensitivityChartTests
{
    private static readonly string[] Colors = ["#1F77B4", "#FF7F0E", "#2CA02C"];

    [Fact]
    public async Task WriteAsync_ThreeUnitsAndBudget_DrawsALinePerUnitWithAMarkerPerPointAndTheBudgetInTheLegend()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "s.svg");
        SensitivityLine[] lines =
        [
            new("conv1", [new(0, 0), new(0.25, 0.1), new(0.5, 0.4), new(0.75, 1.2)]),
            new("conv2", [new(0, 0), new(0.25, 0.6), new(0.5, 2.1), new(0.75, 6.5)]),
            new("fc", [new(0, 0), new(0.25, -0.2), new(0.5, 0.3)]),
        ];

        await SensitivityChart.WriteAsync(lines, 1.5, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal((SensitivityChart.Width, SensitivityChart.Height), (chart.Width, chart.Height));
        Assert.Contains("Accuracy drop per layer", chart.Texts);
        Assert.Contains("pruned fraction of the unit (%)", chart.Texts);
        Assert.Contains("accuracy drop (points)", chart.Texts);
        Assert.Contains("0.5", chart.Texts); // a tick label, formatted with the invariant culture
        Assert.Equal(["conv1", "conv2", "fc", "budget 1.5 points"], chart.LegendTexts);

        var groups = chart.DataGroups;
        Assert.Equal(lines.Length + 1, groups.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = Assert.Single(SvgChart.Lines(groups[i]));
            Assert.Equal(Colors[i], (string?)line.Attribute("stroke"), ignoreCase: true);
            Assert.Equal(lines[i].Points.Count, SvgChart.Vertices(line));
            Assert.Equal(lines[i].Points.Count, SvgChart.Filled(groups[i], Colors[i], "ellipse").Count);
        }

        // conv2's last point (6.5 points) is the highest on the page; its first (0 points) sits level with conv1's.
        var conv1 = SvgChart.Filled(groups[0], Colors[0], "ellipse").Select(SvgChart.Box).ToList();
        var conv2 = SvgChart.Filled(groups[1], Colors[1], "ellipse").Select(SvgChart.Box).ToList();
        Assert.True(conv2[3].Top < conv1[3].Top, "a larger drop must be drawn higher");
        Assert.Equal(conv1[0].Top, conv2[0].Top, 3);

        // The budget line lies between the markers of drop 1.2 and 2.1.
        var budget = SvgChart.Box(Assert.Single(groups[^1].Elements()));
        Assert.InRange(budget.Top, conv2[2].Top, conv1[3].Bottom);
    }

    [Fact]
    public async Task WriteAsync_OneUnitNoBudget_HasNoLegend()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "s.svg");

        await SensitivityChart.WriteAsync([new("conv1", [new(0.5, 1.0)])], null, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Empty(chart.LegendTexts);
        var group = Assert.Single(chart.DataGroups);
        Assert.Single(SvgChart.Filled(group, Colors[0], "ellipse"));
    }

    [Fact]
    public async Task WriteAsync_ManyUnits_DrawsEveryCurveButNamesOnlyTheFirstInTheLegend()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "s.svg");
        var lines = Enumerable.Range(0, 30).Select(i => new SensitivityLine($"unit{i}", [new(0, 0), new(0.5, i * 0.1)])).ToList();

        await SensitivityChart.WriteAsync(lines, null, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal(30, chart.DataGroups.Count(g => SvgChart.Lines(g).Count == 1));
        Assert.Equal(Enumerable.Range(0, SensitivityChart.MaxLegendEntries).Select(i => $"unit{i}"), chart.LegendTexts);
    }

    [Fact]
    public void Create_NoLines_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => SensitivityChart.Create([], 1.0));
        Assert.Equal("lines", error.ParamName);
    }

    [Fact]
    public void Create_NaNDrop_ThrowsNamingTheUnitAndPoint()
    {
        var error = Assert.Throws<ArgumentException>(() => SensitivityChart.Create([new("conv1", [new(0.25, 0.1), new(0.5, double.NaN)])], null));
        Assert.Equal("lines", error.ParamName);
        Assert.Contains("Point 1 of 'conv1'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Create_RatioOutsideZeroToOne_Throws(double ratio)
    {
        var error = Assert.Throws<ArgumentException>(() => SensitivityChart.Create([new("conv1", [new(ratio, 0.1)])], null));
        Assert.Contains("between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CurveWithoutPoints_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SensitivityChart.Create([new("conv1", [])], null));
        Assert.Contains("'conv1' has no points", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InfiniteBudget_ThrowsNamingTheBudget()
    {
        var error = Assert.Throws<ArgumentException>(() => SensitivityChart.Create([new("conv1", [new(0.5, 1)])], double.PositiveInfinity));
        Assert.Equal("budgetPoints", error.ParamName);
    }
}
