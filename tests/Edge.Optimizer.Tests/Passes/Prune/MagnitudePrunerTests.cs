using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Magnitude;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class MagnitudePrunerTests
{
    private static OnnxModel SqueezeNet() => OnnxModel.Load(TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"));

    [Fact]
    public void Prune_SqueezeNetHalfPerLayer_HitsExactSparsityOnEveryTargetedLayerAndSkipsFirstAndLast()
    {
        var model = SqueezeNet();
        var original = model.Proto.Graph.Initializer.ToDictionary(t => t.Name, t => TensorData.ReadFloats(t));
        var rows = MagnitudePruner.Prune(model, 0.5, PruneScope.Layer, includeFirstLast: false, new HashSet<string>());
        var targeted = rows.Where(r => r.Note is null).ToList();
        Assert.Equal(24, targeted.Count);
        Assert.All(targeted, r => Assert.InRange(r.Sparsity, 0.495, 0.505));
        Assert.Contains(rows, r => r.Note?.StartsWith("first layer", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.Note?.StartsWith("last layer", StringComparison.Ordinal) == true);

        // Every zeroed weight was no larger than every kept one in its layer.
        var weights = WeightLayerFinder.Find(model).Layers.ToDictionary(l => l.Name, l => l.Weight);
        foreach (var layer in targeted)
        {
            var tensor = weights[layer.Layer];
            var after = TensorData.ReadFloats(tensor);
            var before = original[tensor.Name];
            var largestZeroed = before.Where((v, i) => after[i] == 0).Select(Math.Abs).Max();
            var smallestKept = after.Where(v => v != 0).Select(Math.Abs).Min();
            Assert.True(largestZeroed <= smallestKept, $"{layer.Layer}: zeroed {largestZeroed} but kept {smallestKept}");
        }
    }

    [Fact]
    public void Prune_GlobalScope_HitsTheSparsityOverAllTargetedWeights()
    {
        var model = SqueezeNet();
        var rows = MagnitudePruner.Prune(model, 0.6, PruneScope.Global, includeFirstLast: true, new HashSet<string>()).Where(r => r.Note is null).ToList();
        var sparsity = (double)rows.Sum(r => r.ZerosAfter) / rows.Sum(r => r.Parameters);
        Assert.InRange(sparsity, 0.5995, 0.6005);
        Assert.True(rows.Select(r => r.Sparsity).Max() - rows.Select(r => r.Sparsity).Min() > 0.05, "a global threshold should prune layers unevenly");
    }

    [Fact]
    public void Prune_ModelWithoutWeights_ThrowsNothingToPrune()
    {
        var b = new PruneGraphBuilder();
        var y = b.Op("Relu", [b.Input("x", 1, 4)]);
        var error = Assert.Throws<InvalidDataException>(() => MagnitudePruner.Prune(b.Build(13, y), 0.5, PruneScope.Layer, false, new HashSet<string>()));
        Assert.Contains("nothing to prune", error.Message, StringComparison.Ordinal);
    }
}
