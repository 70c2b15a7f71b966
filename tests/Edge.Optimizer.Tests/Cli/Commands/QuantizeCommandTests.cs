using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class QuantizeCommandTests
{
    [Fact]
    public async Task Quantize_MnistStatic_WritesModelRecipeAndReport()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "mnist.int8.onnx");
        var report = Path.Combine(folder.Path, "report.json");

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(
            "quantize", TestData.File("models/mnist/mnist.onnx"), "-o", output,
            "--calibration", $"mnist:{TestData.Directory("datasets/mnist")}@0:20", "--per-channel", "--channel-guard-levels", "12", "--latency-runs", "0", "--report", report);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("wrote", stdout, StringComparison.Ordinal);
        Assert.Empty(OnnxModel.Load(output).Validate());
        var recipe = JsonNode.Parse(await File.ReadAllTextAsync(output + ".recipe.json"))!;
        Assert.Equal("quantize", (string?)recipe["steps"]![0]!["pass"]);
        Assert.True((bool)recipe["steps"]![0]!["options"]!["per_channel"]!);
        Assert.Equal("uint8", (string?)recipe["steps"]![0]!["options"]!["activation_type"]);
        Assert.Equal(12, (double)recipe["steps"]![0]!["options"]!["channel_guard_levels"]!);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        Assert.Equal("edge.run-report/v1", (string?)json["schema"]);
        var step = json["steps"]![0]!["report"]!;
        Assert.True((long)step["size"]!["after_bytes"]! < (long)step["size"]!["before_bytes"]!);
        Assert.StartsWith("Verdict: ", (string?)json["verdict"], StringComparison.Ordinal);
        Assert.True((long)json["summary"]![1]!["bytes"]! < (long)json["summary"]![0]!["bytes"]!);
        var markdown = await File.ReadAllTextAsync(Path.ChangeExtension(report, ".md"));
        Assert.StartsWith("# Optimization report: mnist.onnx → quantize", markdown, StringComparison.Ordinal);
        Assert.Contains("**Verdict: ", markdown, StringComparison.Ordinal);
        Assert.Contains("### quantization", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.ChangeExtension(report, null) + ".step1-quantize-sqnr.svg"), "the per-layer SQNR plot is written beside the report");
    }

    [Fact]
    public async Task Quantize_StaticWithoutCalibration_ExitsTwoWithOneLine()
    {
        using var folder = new TemporaryFolder();

        var (exitCode, _, stderr) = await CliRunner.RunAsync("quantize", TestData.File("models/mnist/mnist.onnx"), "-o", Path.Combine(folder.Path, "x.onnx"));

        Assert.Equal(2, exitCode);
        Assert.Contains("--calibration", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Quantize_AlreadyQuantizedModel_ExitsTwoWithExplanation()
    {
        using var folder = new TemporaryFolder();

        var (exitCode, _, stderr) = await CliRunner.RunAsync(
            "quantize", TestData.File("models/peer-quantized/mobilenetv2-12-int8.onnx"), "-o", Path.Combine(folder.Path, "x.onnx"), "--mode", "dynamic");

        Assert.Equal(2, exitCode);
        Assert.Contains("already quantized", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "x.onnx")));
    }

    [Fact]
    public async Task Quantize_OutputIsInput_ExitsTwo()
    {
        using var folder = new TemporaryFolder();
        var model = Path.Combine(folder.Path, "m.onnx");
        File.Copy(TestData.File("models/mnist/mnist.onnx"), model);

        var (exitCode, _, stderr) = await CliRunner.RunAsync("quantize", model, "-o", model, "--mode", "dynamic");

        Assert.Equal(2, exitCode);
        Assert.Contains("is the input model", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public async Task Quantize_PercentileNotANumber_ExitsTwoNamingTheOption(string value)
    {
        using var folder = new TemporaryFolder();

        var (exitCode, _, stderr) = await CliRunner.RunAsync("quantize", TestData.File("models/mnist/mnist.onnx"), "-o", Path.Combine(folder.Path, "q.onnx"),
            "--mode", "static", "--calibration", $"mnist:{TestData.Directory("datasets/mnist")}@0:16", "--method", "percentile", "--percentile", value);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: --percentile is {value}; expected a number more than 90 and at most 100.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
