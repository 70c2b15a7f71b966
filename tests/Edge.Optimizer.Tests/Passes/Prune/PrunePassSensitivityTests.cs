using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Reporting;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Tests.Reports.Charts;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class PrunePassSensitivityTests
{
    [Theory]
    [InlineData("channel")]
    [InlineData("magnitude")]
    public async Task RunAsync_SensitivityOnMnist_StoresCurvesChoosesRatiosAndStaysInBudget(string method)
    {
        var model = await OnnxModel.LoadAsync(TestData.File("models/mnist/mnist.onnx"));
        var options = new PruneOptions
        {
            Method = PruneOptions.ParseMethod(method),
            Sparsity = 0.5,
            ChannelMultiple = 1,
            Sensitivity = true,
            EvalDataset = $"mnist:{TestData.Directory("datasets/mnist")}@0:200",
            MaxAccuracyDrop = 2.0,
            SensitivityRatios = [0.25, 0.5, 0.75],
            MeasureLatency = false,
        };
        var result = await new PrunePass().RunAsync(model, options, PassContext.Silent, CancellationToken.None);

        var sensitivity = result.Report["sensitivity"]!.AsObject();
        var curves = sensitivity["curves"]!.AsArray();
        Assert.True(curves.Count >= 2);
        Assert.All(curves, c => Assert.Equal(3, c!["points"]!.AsArray().Count));
        var baseScore = (double)sensitivity["base_score"]!;
        var finalScore = (double)sensitivity["final_score"]!;
        Assert.InRange(baseScore, 90, 100);
        Assert.True(baseScore - finalScore <= 2.0, $"drop {baseScore - finalScore} exceeds the 2-point budget");
        var accuracy = result.Report["accuracy"]!;
        Assert.Equal(finalScore / 100, (double)accuracy["pruned_top1"]!, 6);

        using var folder = new TemporaryFolder();
        var files = await PruneReportWriter.WriteAsync(Path.Combine(folder.Path, "r.json"), result.Report, CancellationToken.None);
        var plot = await SvgChart.LoadAsync(files.Single(f => f.EndsWith(".sensitivity.svg", StringComparison.Ordinal)));
        var lines = plot.DataGroups.SelectMany(SvgChart.Lines).ToList();
        Assert.Equal(curves.Count, lines.Count);
        Assert.All(lines, line => Assert.Equal(4, SvgChart.Vertices(line))); // the unpruned origin, then the 3 ratios
        Assert.Contains("budget 2 points", plot.LegendTexts);
        Assert.Contains("![sensitivity curves](r.sensitivity.svg)", await File.ReadAllTextAsync(Path.Combine(folder.Path, "r.md")), StringComparison.Ordinal);
    }
}
