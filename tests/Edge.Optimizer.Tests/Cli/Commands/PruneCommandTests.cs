using System.Text.Json;
using Edge.Onnx;
using Edge.Optimizer.Cli;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class PruneCommandTests
{
    private const string Mnist = "models/mnist/mnist.onnx";

    [Fact]
    public async Task Prune_MnistChannelsWithReport_SavesModelRecipeJsonAndMarkdown()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "pruned.onnx");
        var report = Path.Combine(folder.Path, "report.json");
        var (code, stdout, stderr) = await CliRunner.RunAsync("prune", TestData.File(Mnist), "-o", output, "--method", "channel", "--sparsity", "0.3",
            "--channel-multiple", "1", "--latency-runs", "5", "--eval", $"mnist:{TestData.Directory("datasets/mnist")}@0:100", "--report", report);

        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains("latency   p50", stdout, StringComparison.Ordinal);
        var model = OnnxModel.Load(output);
        Assert.Empty(model.Validate());
        using var recipe = JsonDocument.Parse(await File.ReadAllTextAsync(output + ".recipe.json"));
        Assert.Equal("prune", recipe.RootElement.GetProperty("steps")[0].GetProperty("pass").GetString());
        Assert.Equal("channel", recipe.RootElement.GetProperty("steps")[0].GetProperty("options").GetProperty("method").GetString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal("edge.run-report/v1", json.RootElement.GetProperty("schema").GetString());
        var root = json.RootElement.GetProperty("steps")[0].GetProperty("report");
        Assert.True(root.GetProperty("macs").GetProperty("ratio").GetDouble() < 0.8);
        Assert.True(root.GetProperty("latency").GetProperty("pruned_p50_ms").GetDouble() > 0);
        Assert.InRange(root.GetProperty("accuracy").GetProperty("original_top1").GetDouble(), 0.9, 1.0);
        Assert.Contains("before any recovery", root.GetProperty("accuracy").GetProperty("note").GetString(), StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(Path.Combine(folder.Path, "report.md"));
        Assert.Contains("| MACs |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Convolution28 | 8 |", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sparsity", "1.0", "--sparsity must be in [0, 1), but was 1")]
    [InlineData("--sparsity", "-0.1", "--sparsity must be in [0, 1), but was -0.1")]
    [InlineData("--method", "random", "Unknown pruning method 'random'")]
    [InlineData("--criterion", "l3", "Unknown channel criterion 'l3'")]
    public async Task Prune_BadOption_ExitsWithBadInputAndNamesTheValue(string option, string value, string message)
    {
        using var folder = new TemporaryFolder();
        var args = new List<string> { "prune", TestData.File(Mnist), "-o", Path.Combine(folder.Path, "out.onnx"), "--no-latency" };
        if (option != "--sparsity")
        {
            args.AddRange(["--sparsity", "0.5"]);
        }

        args.AddRange([option, value]);
        var (code, _, stderr) = await CliRunner.RunAsync([.. args]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "out.onnx")));
    }

    [Fact]
    public async Task Prune_ExcludedNodesThatDoNotExist_ListsThem()
    {
        using var folder = new TemporaryFolder();
        var (code, _, stderr) = await CliRunner.RunAsync("prune", TestData.File(Mnist), "-o", Path.Combine(folder.Path, "out.onnx"), "--sparsity", "0.5",
            "--no-latency", "--exclude-nodes", "Convolution28,nope1", "--exclude-nodes", "nope2");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("does not have: nope1, nope2", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_ModelWithNothingPrunable_SaysSo()
    {
        using var folder = new TemporaryFolder();
        var model = Path.Combine(folder.Path, "relu.onnx");
        var builder = new Passes.Prune.PruneGraphBuilder();
        var y = builder.Op("Relu", [builder.Input("x", 1, 4)]);
        builder.Build(13, y).Save(model);
        foreach (var method in new[] { "magnitude", "channel", "2:4" })
        {
            var (code, _, stderr) = await CliRunner.RunAsync("prune", model, "-o", Path.Combine(folder.Path, "out.onnx"), "--method", method, "--sparsity", "0.5", "--no-latency");
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("nothing to prune", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Prune_SqueezeNetMagnitudeHalf_ReportsExactSparsityAndSmallerGzip()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "sparse.onnx");
        var report = Path.Combine(folder.Path, "sparse.json");
        var (code, stdout, stderr) = await CliRunner.RunAsync("prune", TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"),
            "-o", output, "--sparsity", "0.5", "--no-latency", "--report", report);
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains("sparsity  50.00 %", stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var size = json.RootElement.GetProperty("steps")[0].GetProperty("report").GetProperty("size");
        Assert.Equal(1.0, size.GetProperty("bytes_ratio").GetDouble(), 3);
        Assert.True(size.GetProperty("gzip_ratio").GetDouble() <= 0.65, $"gzip ratio {size.GetProperty("gzip_ratio").GetDouble()}");
        Assert.Contains("Zeros only pay off in size", size.GetProperty("note").GetString(), StringComparison.Ordinal);
    }
}
