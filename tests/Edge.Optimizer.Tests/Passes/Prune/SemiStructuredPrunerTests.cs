using Edge.Onnx.Graph;
using Edge.Optimizer.Passes.Prune.SemiStructured;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class SemiStructuredPrunerTests
{
    [Fact]
    public void Prune_ConvGemmAndMatMul_KeepsTheTwoLargestOfEveryFourAlongTheInputDimension()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 8, 6, 6);
        var conv = b.Conv(x, 8, 12, name: "conv");
        var flat = b.Op("Flatten", [b.Op("GlobalAveragePool", [conv])]);
        var gemm = b.Op("Gemm", [flat, b.Weight([16, 12]), b.Weight([16])], "gemm", PruneGraphBuilder.Attribute("transB", 1));
        var y = b.Op("MatMul", [gemm, b.Weight([16, 6])], "matmul");
        var first = b.Conv(x, 8, 3, name: "odd");
        var model = b.Build(13, y, b.Op("MatMul", [b.Op("Flatten", [b.Op("GlobalAveragePool", [first])]), b.Weight([3, 2])], "three"));
        var before = model.Proto.Graph.Initializer.ToDictionary(t => t.Name, t => TensorData.ReadFloats(t));

        var rows = SemiStructuredPruner.Prune(model, new HashSet<string>());

        var checkedGroups = 0;
        foreach (var (layer, axis) in new[] { ("conv", 1), ("gemm", 1), ("matmul", 0) })
        {
            var node = model.Proto.Graph.Node.Single(n => n.Name == layer);
            var tensor = model.Proto.Graph.Initializer.Single(t => t.Name == node.Input[1]);
            var original = before[tensor.Name];
            var pruned = TensorData.ReadFloats(tensor);
            var (outer, size, inner) = Edge.Optimizer.Passes.Prune.Surgery.TensorSlicer.Split([.. tensor.Dims], axis);
            for (var o = 0; o < outer; o++)
            {
                for (var i = 0; i < inner; i++)
                {
                    for (var g = 0; g < size; g += 4)
                    {
                        var positions = Enumerable.Range(0, 4).Select(t => (((o * size) + g + t) * inner) + i).ToArray();
                        Assert.True(positions.Count(p => pruned[p] == 0) >= 2, $"{layer}: group at {positions[0]} has fewer than 2 zeros");
                        var largest = positions.OrderByDescending(p => Math.Abs(original[p])).Take(2).ToHashSet();
                        Assert.All(positions.Where(p => !largest.Contains(p)), p => Assert.Equal(0f, pruned[p]));
                        Assert.All(largest, p => Assert.Equal(original[p], pruned[p]));
                        checkedGroups++;
                    }
                }
            }
        }

        Assert.Equal((12 * 2 * 9) + (16 * 3) + (4 * 6), checkedGroups);
        Assert.Contains("multiple of 4", rows.Single(r => r.Layer == "three").Note, StringComparison.Ordinal);
        Assert.Equal("conv,gemm,matmul,odd", model.Proto.MetadataProps.Single(p => p.Key == SemiStructuredPruner.MetadataKey).Value);
        Assert.Empty(model.Validate());
    }
}
