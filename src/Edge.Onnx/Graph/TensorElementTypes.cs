using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>Facts about ONNX tensor element types (<see cref="TensorProto.Types.DataType"/>).</summary>
public static class TensorElementTypes
{
    /// <summary>
    /// Bits one element occupies in <c>raw_data</c> (for example 32 for FLOAT, 4 for INT4, 2 for INT2),
    /// or 0 for types with no fixed size (STRING, UNDEFINED, unknown codes).
    /// </summary>
    public static int BitsPerElement(int dataType) => (TensorProto.Types.DataType)dataType switch
    {
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Uint32 => 32,
        TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64 => 64,
        TensorProto.Types.DataType.Complex64 => 64,
        TensorProto.Types.DataType.Complex128 => 128,
        TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16 => 16,
        TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 => 16,
        TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => 8,
        TensorProto.Types.DataType.Float8E4M3Fn or TensorProto.Types.DataType.Float8E4M3Fnuz => 8,
        TensorProto.Types.DataType.Float8E5M2 or TensorProto.Types.DataType.Float8E5M2Fnuz or TensorProto.Types.DataType.Float8E8M0 => 8,
        TensorProto.Types.DataType.Int4 or TensorProto.Types.DataType.Uint4 or TensorProto.Types.DataType.Float4E2M1 => 4,
        TensorProto.Types.DataType.Int2 or TensorProto.Types.DataType.Uint2 => 2,
        _ => 0,
    };

    /// <summary>Bytes <paramref name="elementCount"/> elements take in <c>raw_data</c> (sub-byte types round up), or -1 when the type has no fixed size.</summary>
    public static long ByteCount(int dataType, long elementCount)
    {
        var bits = BitsPerElement(dataType);
        return bits == 0 ? -1 : checked((elementCount * bits) + 7) / 8;
    }

    /// <summary>The lower-case ONNX name of a type code, such as <c>float</c>, <c>float16</c> or <c>int8</c>; unknown codes read <c>type(N)</c>.</summary>
    public static string Name(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
            : $"type({dataType})";
}
