using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Tests.Reports.Charts;

public sealed class ChartFileTests
{
    [Fact]
    public async Task SaveSvgAsync_ExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "plots", "c.svg");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "old");
        using var plot = LayerSqnrChart.Create([new("conv1", 20)]);

        await ChartFile.SaveSvgAsync(plot, 320, 200, path, CancellationToken.None);

        var chart = await SvgChart.LoadAsync(path);
        Assert.Equal((320, 200), (chart.Width, chart.Height));
        Assert.Equal(["c.svg"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SaveSvgAsync_MissingFolder_CreatesIt()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "a", "b", "c.svg");
        using var plot = LayerSqnrChart.Create([new("conv1", 20)]);

        await ChartFile.SaveSvgAsync(plot, 320, 200, path, CancellationToken.None);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task SaveSvgAsync_Cancelled_WritesNothing()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "c.svg");
        using var plot = LayerSqnrChart.Create([new("conv1", 20)]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChartFile.SaveSvgAsync(plot, 320, 200, path, new CancellationToken(canceled: true)));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void FontFile_OnThisMachine_IsFoundSoChartsCarryText()
    {
        ChartFonts.EnsureRegistered();

        Assert.NotNull(ChartFonts.FontFile);
        Assert.True(File.Exists(ChartFonts.FontFile));
    }
}
