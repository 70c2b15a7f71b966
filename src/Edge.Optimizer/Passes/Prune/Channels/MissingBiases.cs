using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Gives every Conv and Gemm without a bias a zero one, which changes nothing it computes, so bias compensation has a
/// place to put the removed channels' means. Exports that add the bias with a separate Add (mnist-8 does) would
/// otherwise get no compensation at all.
/// </summary>
internal static class MissingBiases
{
    /// <summary>Adds the zero biases to <paramref name="model"/> in place; returns how many were added.</summary>
    public static int Add(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Proto.Graph;
        var names = new NameAllocator(model.Proto);
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var added = 0;
        foreach (var node in graph.Node.Where(n => n.Domain is "" or "ai.onnx" && n.OpType is "Conv" or "Gemm"))
        {
            if ((node.Input.Count > 2 && node.Input[2].Length > 0) || node.Input.Count < 2 || !initializers.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count < 2)
            {
                continue;
            }

            var outputs = node.OpType == "Conv"
                ? weight.Dims[0]
                : NodeAttributes.Int(node, "transB", 0) != 0 ? weight.Dims[0] : weight.Dims[1];
            var name = names.Allocate($"{(node.Name.Length > 0 ? node.Name : node.Output[0])}_zero_bias");

            var bias = new TensorProto { Name = name, DataType = (int)DataType.Float, Dims = { outputs } };
            TensorData.WriteFloats(bias, new float[outputs]);
            graph.Initializer.Add(bias);
            while (node.Input.Count < 3)
            {
                node.Input.Add("");
            }

            node.Input[2] = name;
            added++;
        }

        return added;
    }
}
