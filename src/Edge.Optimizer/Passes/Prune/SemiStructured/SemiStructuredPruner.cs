using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Prune.Magnitude;

namespace Edge.Optimizer.Passes.Prune.SemiStructured;

/// <summary>
/// 2:4 semi-structured pruning, the pattern sparse tensor cores (Ampere, Orin) accelerate: in every run of 4
/// consecutive weights along a layer's input dimension, the 2 of smallest magnitude become zero. Layers whose input
/// dimension is not a multiple of 4 are left alone and reported. The pruned layers are listed in the model metadata
/// under <see cref="MetadataKey"/> so a TensorRT build can enable sparse kernels for them.
/// </summary>
internal static class SemiStructuredPruner
{
    public const string MetadataKey = "edge.sparsity.2of4";

    public static List<LayerSparsity> Prune(OnnxModel model, IReadOnlySet<string> excluded)
    {
        var (layers, skipped) = WeightLayerFinder.Find(model);
        var rows = skipped.Select(s => new LayerSparsity(s.Name, "", 0, 0, 0, s.Reason)).ToList();
        var marked = new List<string>();
        foreach (var layer in layers)
        {
            var values = TensorData.ReadFloats(layer.Weight, model.ExternalDataDirectory);
            var before = MagnitudePruner.CountZeros(values);
            var inputs = layer.Weight.Dims[layer.InputAxis];
            var reason = excluded.Contains(layer.Name) ? "excluded by --exclude-nodes"
                : inputs % 4 != 0 ? $"its input dimension ({inputs}) is not a multiple of 4"
                : null;
            if (reason is null)
            {
                PruneGroups(values, [.. layer.Weight.Dims], layer.InputAxis);
                TensorData.WriteFloats(layer.Weight, values);
                marked.Add(layer.Name);
            }

            rows.Add(new LayerSparsity(layer.Name, layer.Node.OpType, values.Length, before, MagnitudePruner.CountZeros(values), reason));
        }

        if (marked.Count == 0)
        {
            throw new InvalidDataException($"The model has nothing to prune 2:4: no Conv, Gemm or MatMul layer with a stored float weight has an input dimension that is a multiple of 4 ({rows.Count} layer(s) skipped).");
        }

        var entry = model.Proto.MetadataProps.FirstOrDefault(p => p.Key == MetadataKey);
        if (entry is null)
        {
            model.Proto.MetadataProps.Add(entry = new StringStringEntryProto { Key = MetadataKey });
        }

        entry.Value = string.Join(",", marked);
        return rows;
    }

    /// <summary>In each group of 4 consecutive positions along <paramref name="axis"/>, zeroes the 2 of smallest magnitude.</summary>
    public static void PruneGroups(float[] values, long[] dims, int axis)
    {
        var (outer, size, inner) = Surgery.TensorSlicer.Split(dims, axis);
        Span<int> order = stackalloc int[4];
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                for (var g = 0; g < size; g += 4)
                {
                    var first = (((o * size) + g) * inner) + i;
                    for (var t = 0; t < 4; t++)
                    {
                        order[t] = first + (t * inner);
                    }

                    // Sort the 4 positions by magnitude (on ties the earlier weight goes) and zero the two smallest.
                    for (var a = 1; a < 4; a++)
                    {
                        for (var b = a; b > 0 && Math.Abs(values[order[b]]) < Math.Abs(values[order[b - 1]]); b--)
                        {
                            (order[b], order[b - 1]) = (order[b - 1], order[b]);
                        }
                    }

                    values[order[0]] = 0f;
                    values[order[1]] = 0f;
                }
            }
        }
    }
}
