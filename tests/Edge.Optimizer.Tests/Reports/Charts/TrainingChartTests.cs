using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Tests.Reports.Charts;

public sealed class TrainingChartTests
{
    private const string Blue = "#1F77B4";
    private const string Orange = "#FF7F0E";

    [Fact]
    public async Task WriteAsync_TwoRunsWithSomeAccuracyMissing_DrawsLossAndAccuracyPerRunOnTwoAxes()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "t.svg");
        TrainingRun[] runs =
        [
            new("student-a", [new(1, 2.31), new(2, 1.42, 71.5), new(3, 0.93), new(4, 0.71, 80.25)]),
            new("student-b", [new(3, 0.8, 78), new(1, 2.0, 60), new(2, 1.2, 70)]),
        ];

        await TrainingChart.WriteAsync(runs, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal((TrainingChart.Width, TrainingChart.Height), (chart.Width, chart.Height));
        Assert.Contains("Distillation", chart.Texts);
        Assert.Contains("epoch", chart.Texts);
        Assert.Contains("loss", chart.Texts);
        Assert.Contains("accuracy (%)", chart.Texts);
        Assert.Equal(["student-a loss", "student-a accuracy", "student-b loss", "student-b accuracy"], chart.LegendTexts);

        var groups = chart.DataGroups;
        Assert.Equal(4, groups.Count);
        Assert.Equal(4, SvgChart.Vertices(Assert.Single(SvgChart.Lines(groups[0]))));
        Assert.Equal(4, SvgChart.Filled(groups[0], Blue, "ellipse").Count);
        Assert.Equal(2, groups[1].Elements().Count(e => e.Name.LocalName == "rect")); // only epochs 2 and 4 were evaluated
        Assert.Equal(3, SvgChart.Vertices(Assert.Single(SvgChart.Lines(groups[2]))));
        Assert.Equal(3, groups[3].Elements().Count(e => e.Name.LocalName == "rect"));

        // Sorted by epoch: student-b's loss falls from left to right although its epochs came unordered.
        var loss = SvgChart.Filled(groups[2], Orange, "ellipse").Select(SvgChart.Box).OrderBy(b => b.Left).ToList();
        Assert.True(loss[0].Top < loss[1].Top && loss[1].Top < loss[2].Top, "loss 2.0, 1.2, 0.8 must descend on the page");
    }

    [Fact]
    public async Task WriteAsync_OneRunWithoutAccuracy_HasOneLineNoLegendAndNoRightAxisLabel()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "t.svg");

        await TrainingChart.WriteAsync([new("kd", [new(1, 1.0), new(2, 0.5)])], path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Empty(chart.LegendTexts);
        Assert.DoesNotContain("accuracy (%)", chart.Texts);
        Assert.Equal(2, SvgChart.Vertices(Assert.Single(SvgChart.Lines(Assert.Single(chart.DataGroups)))));
    }

    [Fact]
    public async Task WriteAsync_SingleEpoch_DrawsOnePointPerSeries()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "t.svg");

        await TrainingChart.WriteAsync([new("kd", [new(1, 0.9, 55)])], path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal(["loss", "accuracy"], chart.LegendTexts);
        Assert.Single(SvgChart.Filled(chart.DataGroups[0], Blue, "ellipse"));
    }

    [Fact]
    public async Task WriteAsync_DivergedLoss_LeavesTheNaNOutAndSaysSo()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "t.svg");

        await TrainingChart.WriteAsync([new("kd", [new(1, 1.0), new(2, 0.7), new(3, double.NaN)])], path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Contains("Distillation (1 non-finite values left out)", chart.Texts);
        Assert.Equal(2, SvgChart.Vertices(Assert.Single(SvgChart.Lines(Assert.Single(chart.DataGroups)))));
    }

    [Fact]
    public void Create_NoRuns_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingChart.Create([]));
        Assert.Equal("runs", error.ParamName);
    }

    [Fact]
    public void Create_RunWithoutEpochs_ThrowsNamingTheRun()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingChart.Create([new("kd", [])]));
        Assert.Contains("'kd' has no epochs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoFiniteLoss_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingChart.Create([new("kd", [new(1, double.NaN)])]));
        Assert.Equal("runs", error.ParamName);
    }
}
