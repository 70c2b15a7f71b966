using System.Text.Json.Nodes;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Distill;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Quantize;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Tests.Pipeline;

public sealed class PassOptionsJsonTests
{
    [Fact]
    public void FromJson_ToJsonOutput_ReplaysTheSameQuantizeOptions()
    {
        var options = new QuantizeOptions
        {
            Mode = QuantizeMode.Static,
            Calibration = "images:/x@0:100",
            PerChannel = true,
            ActivationType = QuantizedType.Int8,
            ExcludeNodes = ["conv1"],
            MaxAccuracyDrop = 0.5,
            Eval = "images:/x@100:500",
            Method = CalibrationMethod.Percentile,
        };

        var json = PassOptionsJson<QuantizeOptions>.ToJson(options);
        var replayed = PassOptionsJson<QuantizeOptions>.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject());

        Assert.Equal("int8", (string?)json["activation_type"]);
        Assert.Equal("percentile", (string?)json["method"]);
        Assert.Equal(json.ToJsonString(), PassOptionsJson<QuantizeOptions>.ToJson(replayed).ToJsonString());
    }

    [Fact]
    public void ToJson_EveryPass_UsesSnakeCaseAndTheCliSpellingOfEnums()
    {
        var prune = new PruneOptions { Method = PruneMethod.SemiStructured, Criterion = PruneCriterion.BnGamma, EvalDataset = "mnist:/m" }.ToJson();
        var distill = new DistillOptions { TeacherPath = "/t.onnx", Dataset = "mnist:/m", Optimizer = DistillOptimizer.Sgd }.ToJson();

        Assert.Equal("2:4", (string?)prune["method"]);
        Assert.Equal("bn-gamma", (string?)prune["criterion"]);
        Assert.Equal("mnist:/m", (string?)prune["eval_dataset"]);
        Assert.False(prune.ContainsKey("effective_scope"));
        Assert.Equal("sgd", (string?)distill["optimizer"]);
        Assert.Equal("/t.onnx", (string?)distill["teacher_path"]);
        Assert.False(distill.ContainsKey("effective_learning_rate"));
        Assert.All(prune.Concat(distill).Select(p => p.Key), key => Assert.Matches("^[a-z0-9_]+$", key));
    }

    [Fact]
    public void FromJson_UnknownOption_NamesItAndListsTheKnownOnes()
    {
        var error = Assert.Throws<FormatException>(() => PassOptionsJson<QuantizeOptions>.FromJson(new JsonObject { ["per_chanel"] = true }));

        Assert.Contains("'per_chanel'", error.Message, StringComparison.Ordinal);
        Assert.Contains("per_channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_WrongType_NamesTheOption()
    {
        var error = Assert.Throws<FormatException>(() => PassOptionsJson<PruneOptions>.FromJson(new JsonObject { ["sparsity"] = "half" }));

        Assert.Contains("option 'sparsity'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_UnknownEnumName_NamesTheOption()
    {
        var error = Assert.Throws<FormatException>(() => PassOptionsJson<PruneOptions>.FromJson(new JsonObject { ["method"] = "3:4" }));

        Assert.Contains("option 'method'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_WithBaseDirectory_ResolvesMarkedPathsAndDatasetPaths()
    {
        var json = new JsonObject { ["teacher_path"] = "models/t.onnx", ["dataset"] = "mnist:data/mnist@0:100", ["eval_dataset"] = "mnist:/abs/mnist", ["hints"] = new JsonArray("a=b") };

        var options = PassOptionsJson<DistillOptions>.FromJson(json, "/recipes");

        Assert.Equal("/recipes/models/t.onnx", options.TeacherPath);
        Assert.Equal("mnist:/recipes/data/mnist@0:100", options.Dataset);
        Assert.Equal("mnist:/abs/mnist", options.EvalDataset);
        Assert.Equal(["a=b"], options.Hints);
        Assert.Equal("", options.CheckpointDirectory);
    }

    [Fact]
    public void Paths_ListsEveryMarkedPathWithItsOption()
    {
        var options = new QuantizeOptions { Calibration = "mnist:/data/m@0:10", Preprocess = "/p.json", Eval = null };

        var paths = PassOptionsJson<QuantizeOptions>.Paths(options).ToList();

        Assert.Equal([("calibration", "/data/m", RecipePathKind.Dataset), ("preprocess", "/p.json", RecipePathKind.File)], paths);
    }
}
