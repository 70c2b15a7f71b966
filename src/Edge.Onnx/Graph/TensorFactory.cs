using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using Google.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Onnx.Graph;

/// <summary>
/// Builds the small initializers passes add to a graph: tensors from raw little-endian bytes, int32 tensors, and the
/// scale and zero-point inputs of QuantizeLinear and DequantizeLinear (a scalar for one value, 1-D for one value per
/// channel). Every tensor returned is new, stores its values in <c>raw_data</c>, and is owned by the caller; nothing
/// checks that the byte count matches <c>dims</c> (<see cref="OnnxModel.Validate"/> does, on the whole model).
/// </summary>
public static class TensorFactory
{
    /// <summary>A tensor holding a copy of <paramref name="bytes"/> as its <c>raw_data</c>.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="type">The element type.</param>
    /// <param name="dims">The shape; empty for a scalar.</param>
    /// <param name="bytes">The values, little-endian, row-major; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="dims"/> is null.</exception>
    public static TensorProto Raw(string name, DataType type, IEnumerable<long> dims, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>Scales: a scalar for one value, a 1-D tensor for per-channel values.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="scales">One or more scales.</param>
    /// <param name="type"><see cref="DataType.Float"/> (the default) or <see cref="DataType.Float16"/>, to which the values are rounded.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="scales"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is neither float nor float16.</exception>
    public static TensorProto Scales(string name, IReadOnlyList<float> scales, DataType type = DataType.Float)
    {
        ArgumentNullException.ThrowIfNull(scales);
        if (type is not (DataType.Float or DataType.Float16))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Scales are Float or Float16.");
        }

        var values = scales.ToArray();
        var dims = values.Length == 1 ? Array.Empty<long>() : [values.Length];
        if (type == DataType.Float16)
        {
            var halves = Array.ConvertAll(values, v => (Half)v);
            return Raw(name, type, dims, MemoryMarshal.AsBytes(halves.AsSpan()));
        }

        return Raw(name, DataType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Zero points: a scalar for one value, a 1-D tensor for per-channel values.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="type"><see cref="DataType.Int8"/> or <see cref="DataType.Uint8"/> (each value stored as its low byte, so int8 as two's complement), or <see cref="DataType.Int32"/> for biases.</param>
    /// <param name="zeroPoints">One or more zero points, in the range of <paramref name="type"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="zeroPoints"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not int8, uint8 or int32.</exception>
    public static TensorProto ZeroPoints(string name, DataType type, IReadOnlyList<int> zeroPoints)
    {
        ArgumentNullException.ThrowIfNull(zeroPoints);
        if (type is not (DataType.Int8 or DataType.Uint8 or DataType.Int32))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Zero points are Int8, Uint8 or Int32.");
        }

        var dims = zeroPoints.Count == 1 ? Array.Empty<long>() : [zeroPoints.Count];
        if (type == DataType.Int32)
        {
            var ints = zeroPoints.ToArray();
            return Raw(name, type, dims, MemoryMarshal.AsBytes(ints.AsSpan()));
        }

        var bytes = zeroPoints.Select(z => (byte)z).ToArray();
        return Raw(name, type, dims, bytes);
    }

    /// <summary>An int32 tensor holding a copy of <paramref name="values"/>.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="dims">The shape; empty for a scalar.</param>
    /// <param name="values">The values, row-major.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="dims"/> or <paramref name="values"/> is null.</exception>
    public static TensorProto Int32s(string name, IEnumerable<long> dims, int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Raw(name, DataType.Int32, dims, MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
