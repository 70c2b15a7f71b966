using System.Text.Json.Nodes;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public class BenchCommandTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    [Fact]
    public async Task Bench_WithVs_ReportsBothModelsRatioOverheadAndMemory()
    {
        var other = TestData.File("models/mnist/mnist_opset15.onnx");

        var (code, output, error) = await CliRunner.RunAsync("bench", Mnist, "--vs", other, "--runs", "20", "--warmup", "2", "--json");

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("edge.bench/v1", (string?)json["schema"]);
        Assert.Equal("cpu", (string?)json["provider"]);
        var latency = json["latency"]!;
        Assert.Equal(20, (int)latency["runs"]!);
        Assert.True((double)latency["p50_ms"]! > 0);
        Assert.True((double)latency["p95_ms"]! >= (double)latency["p50_ms"]!);
        Assert.True((double)latency["p99_ms"]! >= (double)latency["p95_ms"]!);
        var vs = json["vs"]!;
        Assert.Equal("mnist_opset15.onnx", (string?)vs["model"]);
        Assert.Equal((double)latency["p50_ms"]! / (double)vs["latency"]!["p50_ms"]!, (double)vs["p50_ratio"]!, 9);
        Assert.True((double)json["sdk_overhead"]!["bare_ort_p50_ms"]! > 0);
        Assert.True((long)json["peak_rss_bytes"]! > 10 * 1024 * 1024);

        // 20 runs make two parts of 10; whether they agree depends on the machine, so only the shape is asserted.
        var spread = vs["p50_ratio_spread"]!;
        Assert.Equal(2, (int)spread["parts"]!);
        Assert.True((double)spread["min"]! <= (double)spread["max"]!);
        Assert.Equal((double)spread["max"]! - (double)spread["min"]! > 0.1 * (double)vs["p50_ratio"]!, (bool)spread["noisy"]!);
        Assert.Equal((bool)spread["noisy"]!, error.Contains("too noisy for the ratio", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_TooFewRunsForASpread_WarnsThatTheRatioMayBeNoise()
    {
        var (code, output, error) = await CliRunner.RunAsync("bench", Mnist, "--vs", TestData.File("models/mnist/mnist_opset15.onnx"), "--runs", "5", "--warmup", "1", "--json");

        Assert.True(code == 0, error);
        Assert.Null(JsonNode.Parse(output)!["vs"]!["p50_ratio_spread"]);
        Assert.Contains("warning: 5 runs are too few to judge the noise", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ModelWithSymbolicDimsAndIntInputs_Runs()
    {
        var bert = TestData.File("models/nlp/bert_toy_optimized.onnx");

        var (code, output, error) = await CliRunner.RunAsync("bench", bert, "--runs", "5", "--warmup", "1");

        Assert.True(code == 0, error);
        Assert.Contains("latency    p50", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--runs", "0", "--runs must be at least 1")]
    [InlineData("--vs", "/nonexistent/model.onnx", "given with --vs does not exist")]
    [InlineData("--provider", "cuda", "CUDA execution provider is not in this ONNX Runtime build")]
    public async Task Bench_BadInput_ExitsTwoWithOneLine(string option, string value, string expected)
    {
        string[] args = option == "--runs" ? ["bench", Mnist, option, value] : ["bench", Mnist, option, value, "--runs", "2"];

        var (code, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
