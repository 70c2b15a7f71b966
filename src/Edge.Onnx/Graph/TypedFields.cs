using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Onnx.Graph;

/// <summary>Converts the typed repeated fields (float_data, int32_data, ...) to the little-endian raw_data layout.</summary>
internal static class TypedFields
{
    /// <summary>
    /// The spec stores 16-bit and 8-bit types one element per int32_data entry (fp16/bf16 as their bit patterns),
    /// UINT32 in uint64_data, and complex numbers as interleaved real/imaginary pairs.
    /// </summary>
    public static byte[] ToRawBytes(TensorProto tensor)
    {
        var type = (DataType)tensor.DataType;
        switch (type)
        {
            case DataType.Float or DataType.Complex64:
                return MemoryMarshal.AsBytes(tensor.FloatData.ToArray().AsSpan()).ToArray();
            case DataType.Double or DataType.Complex128:
                return MemoryMarshal.AsBytes(tensor.DoubleData.ToArray().AsSpan()).ToArray();
            case DataType.Int64:
                return MemoryMarshal.AsBytes(tensor.Int64Data.ToArray().AsSpan()).ToArray();
            case DataType.Uint64:
                return MemoryMarshal.AsBytes(tensor.Uint64Data.ToArray().AsSpan()).ToArray();
            case DataType.Uint32:
                return MemoryMarshal.AsBytes(tensor.Uint64Data.Select(v => (uint)v).ToArray().AsSpan()).ToArray();
            case DataType.Int32:
                return MemoryMarshal.AsBytes(tensor.Int32Data.ToArray().AsSpan()).ToArray();
            case DataType.Int16 or DataType.Uint16 or DataType.Float16 or DataType.Bfloat16:
                return MemoryMarshal.AsBytes(tensor.Int32Data.Select(v => (ushort)v).ToArray().AsSpan()).ToArray();
            case DataType.Int8 or DataType.Uint8 or DataType.Bool or DataType.Float8E4M3Fn or DataType.Float8E4M3Fnuz
                or DataType.Float8E5M2 or DataType.Float8E5M2Fnuz or DataType.Float8E8M0:
                return tensor.Int32Data.Select(v => (byte)v).ToArray();
            default:
                throw new OnnxModelException($"Tensor '{tensor.Name}' has type {TensorElementTypes.Name(tensor.DataType)}, whose typed-field storage is not supported; expected raw_data.");
        }
    }
}
