using Edge.Onnx;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Evaluation;

/// <summary>Tells a classifier from a YOLOX or UltraFace detector by the shapes of the graph's inputs and outputs; anything else is raw.</summary>
internal static class OutputTaskDetector
{
    private static readonly int[] YoloxStrides = [8, 16, 32];

    public static OutputTask Detect(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Proto.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var input = graph.Input.FirstOrDefault(i => !initializers.Contains(i.Name));
        var outputs = graph.Output.Select(o => Dims(o)).ToList();
        if (outputs.Count == 2 && outputs[0] is [_, var priors, 2] && outputs[1] is [_, var boxes, 4] && priors == boxes && priors > 0)
        {
            return OutputTask.UltraFace;
        }

        if (outputs.Count >= 1 && outputs[0] is [_, var anchors, >= 6] && input is not null && Dims(input) is [_, _, var height, var width]
            && height > 0 && width > 0 && anchors == YoloxStrides.Sum(s => (height / s) * (width / s)))
        {
            return OutputTask.Yolox;
        }

        // Class scores: one axis besides the batch holds the classes, the others are 1 ([1, 1000], [1, 1000, 1, 1]).
        return outputs.Count >= 1 && outputs[0] is { Length: >= 1 } first && (first.Length == 1 ? first : first[1..]).Count(d => d != 1) == 1
            ? OutputTask.Classification
            : OutputTask.Raw;
    }

    /// <summary>The (possibly symbolic, then -1) dimensions of a graph value.</summary>
    public static long[] Dims(ValueInfoProto value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Type?.TensorType?.Shape is { } shape ? [.. shape.Dim.Select(d => d.HasDimValue ? d.DimValue : -1)] : [];
    }
}
