using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using Google.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Passes.Quantize.Common;

/// <summary>Builds the small initializers quantization adds: scales, zero points, quantized weights and biases.</summary>
internal static class TensorFactory
{
    public static TensorProto Raw(string name, DataType type, IEnumerable<long> dims, ReadOnlySpan<byte> bytes)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>Scales: a scalar for one value, a 1-D tensor for per-channel values.</summary>
    public static TensorProto Scales(string name, IReadOnlyList<float> scales, DataType type = DataType.Float)
    {
        var values = scales.ToArray();
        var dims = values.Length == 1 ? Array.Empty<long>() : [values.Length];
        if (type == DataType.Float16)
        {
            var halves = Array.ConvertAll(values, v => (Half)v);
            return Raw(name, type, dims, MemoryMarshal.AsBytes(halves.AsSpan()));
        }

        return Raw(name, DataType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Zero points of an 8-bit type (or int32 for biases): a scalar, or 1-D per channel.</summary>
    public static TensorProto ZeroPoints(string name, DataType type, IReadOnlyList<int> zeroPoints)
    {
        var dims = zeroPoints.Count == 1 ? Array.Empty<long>() : [zeroPoints.Count];
        if (type == DataType.Int32)
        {
            var ints = zeroPoints.ToArray();
            return Raw(name, type, dims, MemoryMarshal.AsBytes(ints.AsSpan()));
        }

        var bytes = zeroPoints.Select(z => (byte)z).ToArray();
        return Raw(name, type, dims, bytes);
    }

    public static TensorProto Int32s(string name, IEnumerable<long> dims, int[] values) =>
        Raw(name, DataType.Int32, dims, MemoryMarshal.AsBytes(values.AsSpan()));
}
