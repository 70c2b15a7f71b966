using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Data;

/// <summary>Turns a TensorProto holding inline data (raw bytes or typed fields) into a <see cref="SampleTensor"/>.</summary>
internal static class TensorProtoConverter
{
    public static SampleTensor ToSampleTensor(TensorProto proto, string source)
    {
        var type = (TensorProto.Types.DataType)proto.DataType;
        var shape = proto.Dims.ToArray();
        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        var raw = proto.HasRawData ? proto.RawData.Span : ReadOnlySpan<byte>.Empty;
        Array data = type switch
        {
            TensorProto.Types.DataType.Float => proto.HasRawData ? FromRaw<float>(raw, count, source) : Check(proto.FloatData.ToArray(), count, source),
            TensorProto.Types.DataType.Double => proto.HasRawData ? FromRaw<double>(raw, count, source) : Check(proto.DoubleData.ToArray(), count, source),
            TensorProto.Types.DataType.Int64 => proto.HasRawData ? FromRaw<long>(raw, count, source) : Check(proto.Int64Data.ToArray(), count, source),
            TensorProto.Types.DataType.Int32 => proto.HasRawData ? FromRaw<int>(raw, count, source) : Check(proto.Int32Data.ToArray(), count, source),
            TensorProto.Types.DataType.Uint8 => proto.HasRawData ? FromRaw<byte>(raw, count, source) : Check(proto.Int32Data.Select(v => (byte)v).ToArray(), count, source),
            TensorProto.Types.DataType.Int8 => proto.HasRawData ? FromRaw<sbyte>(raw, count, source) : Check(proto.Int32Data.Select(v => (sbyte)v).ToArray(), count, source),
            TensorProto.Types.DataType.Bool => proto.HasRawData ? FromRaw<bool>(raw, count, source) : Check(proto.Int32Data.Select(v => v != 0).ToArray(), count, source),
            _ => throw new InvalidDataException($"'{source}' holds a {type} tensor; datasets support float, double, int64, int32, uint8, int8 and bool."),
        };
        return new SampleTensor(proto.HasName ? proto.Name : null, type, shape, data);
    }

    private static T[] FromRaw<T>(ReadOnlySpan<byte> raw, int count, string source)
        where T : unmanaged
    {
        var expected = (long)count * Marshal.SizeOf<T>();
        if (raw.Length != expected)
        {
            throw new InvalidDataException($"'{source}' raw_data has {raw.Length} bytes; its shape needs {expected}.");
        }

        return MemoryMarshal.Cast<byte, T>(raw).ToArray();
    }

    private static T[] Check<T>(T[] values, int count, string source) =>
        values.Length == count
            ? values
            : throw new InvalidDataException($"'{source}' holds {values.Length} values; its shape needs {count}.");
}
