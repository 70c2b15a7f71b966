using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Quickstart.Release;

/// <summary>
/// v3.1, wrong in a way no golden sample recorded from it can show: the distilled v2 with two output classes swapped in
/// its classifier (their weight rows and biases exchanged). It runs, is finite and as fast as v2, and answers exactly as
/// its own golden samples say, so the device's golden gate passes; only comparing it with the served v2 on live inputs
/// shows that every image of those two classes now gets the other's label. That is what the shadow does.
/// </summary>
internal static class SwappedModel
{
    /// <returns>The name of the classifier weight whose classes were swapped.</returns>
    public static string Write(string source, string destination, int first, int second)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(source));
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var node = model.Graph.Node.LastOrDefault(n => n.OpType is "Gemm" or "MatMul" && n.Input.Count > 1 && initializers.ContainsKey(n.Input[1]))
            ?? throw new InvalidDataException($"Model '{source}' has no Gemm or MatMul with a weight initializer (its classifier) to swap classes in.");
        var weight = initializers[node.Input[1]];
        if (weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count != 2)
        {
            throw new InvalidDataException($"Classifier weight '{weight.Name}' of '{source}' is not a 2-D float tensor.");
        }

        // Gemm with transB holds [classes, inputs]; MatMul and Gemm without it hold [inputs, classes].
        var transposed = node.OpType == "Gemm" && node.Attribute.Any(a => a.Name == "transB" && a.I == 1);
        var (rows, columns) = ((int)weight.Dims[0], (int)weight.Dims[1]);
        var values = Read(weight);
        if (transposed)
        {
            for (var c = 0; c < columns; c++)
            {
                (values[(first * columns) + c], values[(second * columns) + c]) = (values[(second * columns) + c], values[(first * columns) + c]);
            }
        }
        else
        {
            for (var r = 0; r < rows; r++)
            {
                (values[(r * columns) + first], values[(r * columns) + second]) = (values[(r * columns) + second], values[(r * columns) + first]);
            }
        }

        Write(weight, values);
        if (Bias(model, node, initializers) is { } bias)
        {
            var b = Read(bias);
            (b[first], b[second]) = (b[second], b[first]);
            Write(bias, b);
        }

        File.WriteAllBytes(destination, model.ToByteArray());
        return weight.Name;
    }

    /// <summary>Gemm's C input, or the initializer of an Add that takes the MatMul's output.</summary>
    private static TensorProto? Bias(ModelProto model, NodeProto node, Dictionary<string, TensorProto> initializers)
    {
        if (node.OpType == "Gemm")
        {
            return node.Input.Count > 2 && initializers.TryGetValue(node.Input[2], out var c) ? c : null;
        }

        var add = model.Graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(node.Output[0]));
        return add?.Input.Where(i => i != node.Output[0]).Select(i => initializers.GetValueOrDefault(i)).FirstOrDefault(t => t is not null);
    }

    private static float[] Read(TensorProto tensor) =>
        tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    private static void Write(TensorProto tensor, float[] values)
    {
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
