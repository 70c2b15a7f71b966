using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Quickstart.Release;

/// <summary>
/// v3, broken on purpose the way a bad export breaks a model: it loads, has the right inputs and outputs, and its
/// last weight layer (the classifier) holds NaN. Only running it tells, which is what the device's health gate does.
/// </summary>
internal static class BrokenModel
{
    private static readonly string[] WeightOps = ["Gemm", "MatMul", "Conv"];

    /// <returns>The name of the weight tensor that was overwritten.</returns>
    public static string Write(string source, string destination)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(source));
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var node = model.Graph.Node.LastOrDefault(n => WeightOps.Contains(n.OpType) && n.Input.Count > 1 && initializers.ContainsKey(n.Input[1]))
            ?? throw new InvalidDataException($"Model '{source}' has no Gemm, MatMul or Conv with a weight initializer to break.");
        var weight = initializers[node.Input[1]];
        if (weight.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"Weight '{weight.Name}' of '{source}' is {(TensorProto.Types.DataType)weight.DataType}; expected float.");
        }

        var count = weight.Dims.Aggregate(1L, (a, b) => a * b);
        var nan = new float[count];
        Array.Fill(nan, float.NaN);
        weight.FloatData.Clear();
        weight.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(nan.AsSpan()));
        File.WriteAllBytes(destination, model.ToByteArray());
        return weight.Name;
    }
}
