using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Pipeline.Measurement;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Pipeline;

public sealed class PipelineRunnerTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    private static string MnistData(int from, int to) => $"mnist:{TestData.Directory("datasets/mnist")}@{from}:{to}";

    [Fact]
    public async Task RunAsync_PruneThenQuantize_FeedsEachStepTheLastModelAndMeasuresEveryModelAgainstTheOriginal()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "out.onnx");
        var recipe = new Recipe
        {
            Input = Mnist,
            Output = output,
            Measure = new MeasureOptions { Eval = MnistData(9000, 9200), LatencyRuns = 20, WarmupRuns = 2 },
            Steps =
            [
                new("prune", new JsonObject { ["method"] = "channel", ["sparsity"] = 0.25, ["channel_multiple"] = 1, ["measure_latency"] = false }),
                new("quantize", new JsonObject { ["mode"] = "dynamic", ["latency_runs"] = 0, ["analyze_layers"] = false }),
            ],
        };

        var result = await PipelineRunner.Default.RunAsync(recipe, new PipelineRunOptions(), CancellationToken.None);

        var pruned = Path.Combine(output + ".steps", "1-prune", "model.onnx");
        Assert.True(File.Exists(pruned), "the intermediate model is kept for --from-step");
        Assert.Equal([pruned, output], result.Steps.Select(s => s.OutputPath));
        var prunedNodes = OnnxModel.Load(pruned).Proto.Graph.Node.Count;
        Assert.Contains(OnnxModel.Load(output).Proto.Graph.Node, n => n.OpType is "DynamicQuantizeLinear" or "MatMulInteger" or "ConvInteger");
        Assert.True(prunedNodes > 0);
        Assert.Equal(["original", "1 prune", "2 quantize"], result.Models.Select(m => m.Label));
        Assert.All(result.Models, m => Assert.Equal(20, m.Latency!.Runs));
        Assert.All(result.Models, m => Assert.InRange(m.Top1!.Value, 0.9, 1.0));
        Assert.Null(result.Models[0].Agreement);
        Assert.All(result.Models.Skip(1), m => Assert.InRange(m.Agreement!.Value, 0.9, 1.0));
        Assert.True(result.Models[1].Bytes < result.Models[0].Bytes, "channel pruning removes weights");
        Assert.Equal(new FileInfo(output).Length, result.Models[2].Bytes);
    }

    [Fact]
    public async Task RunAsync_WithoutMeasure_TakesSingleStepFiguresFromThePass()
    {
        using var folder = new TemporaryFolder();
        var recipe = new Recipe
        {
            Input = Mnist,
            Output = Path.Combine(folder.Path, "q.onnx"),
            Steps = [new("quantize", new JsonObject { ["mode"] = "dynamic", ["latency_runs"] = 10, ["eval"] = MnistData(0, 100), ["analyze_layers"] = false })],
        };

        var result = await PipelineRunner.Default.RunAsync(recipe, new PipelineRunOptions(), CancellationToken.None);

        Assert.Equal(10, result.Models[0].Latency!.Runs);
        Assert.Equal(10, result.Models[1].Latency!.Runs);
        Assert.NotNull(result.Models[0].Top1);
        Assert.NotNull(result.Models[1].Agreement);
        Assert.Contains("own measurement", result.Models[1].Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shrink", "{}", "step 1 (shrink): unknown pass 'shrink'; known passes are quantize, prune, distill, pack")]
    [InlineData("quantize", """{ "mode": "static", "per_chanel": true }""", "step 1 (quantize): unknown option 'per_chanel'")]
    [InlineData("quantize", """{ "mode": "static" }""", "step 1 (quantize): ")]
    [InlineData("prune", """{ "method": "channel", "sparsity": 1.5 }""", "step 1 (prune): --sparsity must be in [0, 1)")]
    [InlineData("quantize", """{ "mode": "static", "calibration": "mnist:/nowhere/mnist" }""", "step 1 (quantize): option 'calibration' names '/nowhere/mnist', which does not exist (did the dataset move?)")]
    public void Plan_BadStep_NamesTheStepAndTheField(string pass, string options, string expected)
    {
        var recipe = new Recipe { Input = Mnist, Output = "/tmp/never.onnx", Steps = [new(pass, JsonNode.Parse(options)!.AsObject())] };

        var error = Assert.Throws<RecipeException>(() => PipelineRunner.Default.Plan(recipe));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_QuantizeAfterPack_RefusesBecausePackProducesAPackage()
    {
        using var folder = new TemporaryFolder();
        var key = folder.WriteText("k.pem", "not used before the check");
        var recipe = new Recipe
        {
            Input = Mnist,
            Output = Path.Combine(folder.Path, "x.onnx"),
            Steps =
            [
                new("pack", new JsonObject { ["name"] = "m", ["version"] = "1.0.0", ["targets"] = new JsonArray("x64"), ["keys"] = new JsonArray(key) }),
                new("quantize", new JsonObject { ["mode"] = "dynamic" }),
            ],
        };

        var error = Assert.Throws<RecipeException>(() => PipelineRunner.Default.Plan(recipe));

        Assert.Equal("step 2 (quantize) needs an ONNX model, but step 1 (pack) produces a package; a step that produces a package must be the last", error.Message);
    }

    [Fact]
    public void Plan_MissingInputModel_NamesIt()
    {
        var recipe = new Recipe { Input = "/nowhere/model.onnx", Output = "/tmp/x.onnx", Steps = [new("quantize", new JsonObject { ["mode"] = "dynamic" })] };

        var error = Assert.Throws<RecipeException>(() => PipelineRunner.Default.Plan(recipe));

        Assert.Equal("the recipe's input model names '/nowhere/model.onnx', which does not exist", error.Message);
    }

    [Fact]
    public async Task RunAsync_FromStepWithoutAnEarlierRun_RefusesNamingTheMissingStep()
    {
        using var folder = new TemporaryFolder();
        var recipe = new Recipe
        {
            Input = Mnist,
            Output = Path.Combine(folder.Path, "out.onnx"),
            Steps = [new("prune", new JsonObject { ["method"] = "magnitude", ["sparsity"] = 0.5, ["measure_latency"] = false }), new("quantize", new JsonObject { ["mode"] = "dynamic" })],
        };

        var error = await Assert.ThrowsAsync<RecipeException>(() => PipelineRunner.Default.RunAsync(recipe, new PipelineRunOptions { FromStep = 2 }, CancellationToken.None));

        Assert.StartsWith("cannot resume at step 2: step 1 (prune) has no finished model", error.Message, StringComparison.Ordinal);
    }
}
