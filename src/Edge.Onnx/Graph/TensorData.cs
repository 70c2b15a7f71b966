using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using Edge.Onnx.Serialization;
using Google.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Onnx.Graph;

/// <summary>
/// Typed access to a tensor's values wherever they are stored: <c>raw_data</c>, the typed repeated fields
/// (<c>float_data</c>, <c>int32_data</c>, ...) or an external-data file. Reads return new arrays the caller owns;
/// writes store little-endian <c>raw_data</c> and drop any other storage. Assumes a little-endian machine, as ONNX does.
/// </summary>
public static class TensorData
{
    /// <summary>Number of elements: the product of <c>dims</c> (1 for a scalar). Throws <see cref="OnnxModelException"/> for a negative dimension or overflow.</summary>
    public static long ElementCount(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = 1;
        foreach (var dim in tensor.Dims)
        {
            if (dim < 0)
            {
                throw new OnnxModelException($"Tensor '{tensor.Name}' has dimension {dim}; expected 0 or more.");
            }

            try
            {
                count = checked(count * dim);
            }
            catch (OverflowException e)
            {
                throw new OnnxModelException($"Tensor '{tensor.Name}' has dims [{string.Join(", ", tensor.Dims)}], whose element count overflows 64 bits.", e);
            }
        }

        return count;
    }

    /// <summary>
    /// The tensor's values as little-endian bytes, the layout of <c>raw_data</c>, converting typed fields when needed.
    /// </summary>
    /// <param name="tensor">The tensor; STRING tensors have no byte layout and are refused.</param>
    /// <param name="externalDataDirectory">The model's folder, needed only for external data (see <see cref="OnnxModel.ExternalDataDirectory"/>).</param>
    public static byte[] ReadRawBytes(TensorProto tensor, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        byte[] bytes;
        if (ExternalData.IsExternal(tensor))
        {
            bytes = ExternalData.Read(tensor, externalDataDirectory);
        }
        else if (tensor.HasRawData)
        {
            bytes = tensor.RawData.ToByteArray();
        }
        else
        {
            bytes = TypedFields.ToRawBytes(tensor);
        }

        var expected = TensorElementTypes.ByteCount(tensor.DataType, ElementCount(tensor));
        if (expected < 0)
        {
            throw new OnnxModelException($"Tensor '{tensor.Name}' has type {TensorElementTypes.Name(tensor.DataType)}, which has no fixed-size byte layout.");
        }

        if (bytes.Length != expected)
        {
            throw new OnnxModelException(
                $"Tensor '{tensor.Name}' ({TensorElementTypes.Name(tensor.DataType)}, dims [{string.Join(", ", tensor.Dims)}]) holds {bytes.Length} bytes of data; expected {expected}.");
        }

        return bytes;
    }

    /// <summary>Reads a FLOAT, FLOAT16, BFLOAT16 or DOUBLE tensor as 32-bit floats.</summary>
    public static float[] ReadFloats(TensorProto tensor, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var type = (DataType)tensor.DataType;
        if (type == DataType.Float && !tensor.HasRawData && !ExternalData.IsExternal(tensor) && tensor.FloatData.Count == ElementCount(tensor))
        {
            return [.. tensor.FloatData];
        }

        var bytes = ReadRawBytes(tensor, externalDataDirectory);
        return type switch
        {
            DataType.Float => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            DataType.Double => Array.ConvertAll(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), d => (float)d),
            DataType.Float16 => Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(bytes).ToArray(), h => (float)h),
            DataType.Bfloat16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), b => BitConverter.Int32BitsToSingle(b << 16)),
            _ => throw WrongType(tensor, "float, float16, bfloat16 or double"),
        };
    }

    /// <summary>Reads an integer or BOOL tensor (INT8/16/32/64, UINT8/16/32) as 64-bit integers.</summary>
    public static long[] ReadInt64s(TensorProto tensor, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var type = (DataType)tensor.DataType;
        if (type == DataType.Int64 && !tensor.HasRawData && !ExternalData.IsExternal(tensor) && tensor.Int64Data.Count == ElementCount(tensor))
        {
            return [.. tensor.Int64Data];
        }

        var bytes = ReadRawBytes(tensor, externalDataDirectory);
        return type switch
        {
            DataType.Int64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            DataType.Int32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), v => (long)v),
            DataType.Uint32 => Array.ConvertAll(MemoryMarshal.Cast<byte, uint>(bytes).ToArray(), v => (long)v),
            DataType.Int16 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(bytes).ToArray(), v => (long)v),
            DataType.Uint16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), v => (long)v),
            DataType.Int8 => Array.ConvertAll(MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(), v => (long)v),
            DataType.Uint8 or DataType.Bool => Array.ConvertAll(bytes, v => (long)v),
            _ => throw WrongType(tensor, "an integer type or bool"),
        };
    }

    /// <summary>Reads an INT32 tensor (or a narrower integer tensor) as 32-bit integers.</summary>
    public static int[] ReadInt32s(TensorProto tensor, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType is (int)DataType.Int64 or (int)DataType.Uint32 or (int)DataType.Uint64)
        {
            throw WrongType(tensor, "int32 or a narrower integer type");
        }

        return Array.ConvertAll(ReadInt64s(tensor, externalDataDirectory), v => (int)v);
    }

    /// <summary>Reads an INT8 tensor.</summary>
    public static sbyte[] ReadInt8s(TensorProto tensor, string? externalDataDirectory = null) =>
        MemoryMarshal.Cast<byte, sbyte>(ReadRawBytes(RequireType(tensor, DataType.Int8), externalDataDirectory)).ToArray();

    /// <summary>Reads a UINT8 tensor.</summary>
    public static byte[] ReadUInt8s(TensorProto tensor, string? externalDataDirectory = null) =>
        ReadRawBytes(RequireType(tensor, DataType.Uint8), externalDataDirectory);

    /// <summary>
    /// Stores <paramref name="values"/> in the tensor's own type (FLOAT, FLOAT16 and BFLOAT16 round to nearest even,
    /// DOUBLE widens) as <c>raw_data</c>. The count must equal <see cref="ElementCount"/>.
    /// </summary>
    public static void WriteFloats(TensorProto tensor, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        RequireCount(tensor, values.Length);
        byte[] bytes;
        switch ((DataType)tensor.DataType)
        {
            case DataType.Float:
                bytes = MemoryMarshal.AsBytes(values).ToArray();
                break;
            case DataType.Double:
                bytes = new byte[values.Length * 8];
                var doubles = MemoryMarshal.Cast<byte, double>(bytes.AsSpan());
                for (var i = 0; i < values.Length; i++)
                {
                    doubles[i] = values[i];
                }

                break;
            case DataType.Float16:
                bytes = new byte[values.Length * 2];
                var halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
                for (var i = 0; i < values.Length; i++)
                {
                    halves[i] = (Half)values[i];
                }

                break;
            case DataType.Bfloat16:
                bytes = new byte[values.Length * 2];
                var brains = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
                for (var i = 0; i < values.Length; i++)
                {
                    brains[i] = ToBfloat16(values[i]);
                }

                break;
            default:
                throw WrongType(tensor, "float, float16, bfloat16 or double");
        }

        SetRaw(tensor, bytes);
    }

    /// <summary>Stores integers in the tensor's own integer type as <c>raw_data</c>; values must fit that type.</summary>
    public static void WriteInt64s(TensorProto tensor, ReadOnlySpan<long> values)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        RequireCount(tensor, values.Length);
        var type = (DataType)tensor.DataType;
        var bits = type is DataType.Bool ? 8 : TensorElementTypes.BitsPerElement(tensor.DataType);
        if (type is not (DataType.Int64 or DataType.Int32 or DataType.Uint32 or DataType.Int16 or DataType.Uint16 or DataType.Int8 or DataType.Uint8 or DataType.Bool))
        {
            throw WrongType(tensor, "an integer type or bool");
        }

        var bytes = new byte[values.Length * bits / 8];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var fits = type switch
            {
                DataType.Int32 => v is >= int.MinValue and <= int.MaxValue,
                DataType.Uint32 => v is >= 0 and <= uint.MaxValue,
                DataType.Int16 => v is >= short.MinValue and <= short.MaxValue,
                DataType.Uint16 => v is >= 0 and <= ushort.MaxValue,
                DataType.Int8 => v is >= sbyte.MinValue and <= sbyte.MaxValue,
                DataType.Uint8 => v is >= 0 and <= byte.MaxValue,
                DataType.Bool => v is 0 or 1,
                _ => true,
            };
            if (!fits)
            {
                throw new ArgumentOutOfRangeException(nameof(values), v, $"Element {i} does not fit tensor '{tensor.Name}' of type {TensorElementTypes.Name(tensor.DataType)}.");
            }

            // Little-endian: the low bytes of the 64-bit value are the narrower value's bytes.
            BitConverter.GetBytes(v).AsSpan(0, bits / 8).CopyTo(bytes.AsSpan(i * bits / 8));
        }

        SetRaw(tensor, bytes);
    }

    /// <summary>Stores bytes already in the tensor's <c>raw_data</c> layout; the length must match its type and dims.</summary>
    public static void WriteRawBytes(TensorProto tensor, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var expected = TensorElementTypes.ByteCount(tensor.DataType, ElementCount(tensor));
        if (bytes.Length != expected)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' needs {expected} bytes but {bytes.Length} were given.", nameof(bytes));
        }

        SetRaw(tensor, bytes.ToArray());
    }

    /// <summary>Bytes of data held inside the protobuf (0 for external data); STRING tensors count their string bytes.</summary>
    internal static long InlineByteCount(TensorProto tensor)
    {
        if (ExternalData.IsExternal(tensor))
        {
            return 0;
        }

        if (tensor.HasRawData)
        {
            return tensor.RawData.Length;
        }

        if (tensor.DataType == (int)DataType.String)
        {
            return tensor.StringData.Sum(s => (long)s.Length);
        }

        return (tensor.FloatData.Count * 4L) + (tensor.Int32Data.Count * 4L) + (tensor.Int64Data.Count * 8L) +
               (tensor.DoubleData.Count * 8L) + (tensor.Uint64Data.Count * 8L);
    }

    /// <summary>Removes every storage of the values (raw, typed fields, external references).</summary>
    internal static void ClearData(TensorProto tensor)
    {
        tensor.ClearRawData();
        tensor.FloatData.Clear();
        tensor.Int32Data.Clear();
        tensor.Int64Data.Clear();
        tensor.DoubleData.Clear();
        tensor.Uint64Data.Clear();
        tensor.StringData.Clear();
        tensor.ExternalData.Clear();
        tensor.ClearDataLocation();
    }

    private static void SetRaw(TensorProto tensor, byte[] bytes)
    {
        ClearData(tensor);
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static ushort ToBfloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var roundingBias = ((bits >> 16) & 1) + 0x7FFF;
        return (ushort)((bits + roundingBias) >> 16);
    }

    private static TensorProto RequireType(TensorProto tensor, DataType type)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.DataType == (int)type ? tensor : throw WrongType(tensor, TensorElementTypes.Name((int)type));
    }

    private static void RequireCount(TensorProto tensor, int count)
    {
        var expected = ElementCount(tensor);
        if (count != expected)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' has {expected} elements (dims [{string.Join(", ", tensor.Dims)}]) but {count} values were given.", nameof(tensor));
        }
    }

    private static OnnxModelException WrongType(TensorProto tensor, string expected) =>
        new($"Tensor '{tensor.Name}' has type {TensorElementTypes.Name(tensor.DataType)}; expected {expected}.");
}
