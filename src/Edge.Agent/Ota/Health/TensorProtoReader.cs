using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Edge.Agent.Ota.Health;

/// <summary>
/// Reads one serialized ONNX <c>TensorProto</c> (the golden sample files of a package) straight from the protobuf
/// wire format: dims (1), data_type (2), float_data (4), int32_data (5), int64_data (7), raw_data (9), double_data
/// (10). The agent stays free of a protobuf runtime; other fields are skipped, external data is refused.
/// </summary>
internal static class TensorProtoReader
{
    public static GoldenTensor Read(ReadOnlySpan<byte> bytes, string what)
    {
        var dims = new List<long>();
        var dataType = 0;
        var floats = new List<float>();
        var doubles = new List<double>();
        var varints = new List<long>();
        ReadOnlySpan<byte> raw = default;
        var hasRaw = false;
        var position = 0;
        while (position < bytes.Length)
        {
            var key = ReadVarint(bytes, ref position, what);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (field, wire)
            {
                case (1, 0): dims.Add(ReadVarint(bytes, ref position, what)); break;
                case (1, 2): ReadPackedVarints(Slice(bytes, ref position, what), dims, what); break;
                case (2, 0): dataType = (int)ReadVarint(bytes, ref position, what); break;
                case (4, 5): floats.Add(BinaryPrimitives.ReadSingleLittleEndian(Take(bytes, ref position, 4, what))); break;
                case (4, 2): floats.AddRange(MemoryMarshal.Cast<byte, float>(Slice(bytes, ref position, what)).ToArray()); break;
                case (5, 0) or (7, 0): varints.Add(ReadVarint(bytes, ref position, what)); break;
                case (5, 2) or (7, 2): ReadPackedVarints(Slice(bytes, ref position, what), varints, what); break;
                case (9, 2): raw = Slice(bytes, ref position, what); hasRaw = true; break;
                case (10, 1): doubles.Add(BinaryPrimitives.ReadDoubleLittleEndian(Take(bytes, ref position, 8, what))); break;
                case (10, 2): doubles.AddRange(MemoryMarshal.Cast<byte, double>(Slice(bytes, ref position, what)).ToArray()); break;
                case (14, 0):
                    if (ReadVarint(bytes, ref position, what) != 0)
                    {
                        throw new InvalidDataException($"{what} keeps its data externally; golden tensors must be self-contained.");
                    }

                    break;
                default: Skip(bytes, ref position, wire, what); break;
            }
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Golden tensors are little-endian; this device is big-endian.");
        }

        var tensor = new GoldenTensor
        {
            DataType = dataType,
            Dimensions = [.. dims],
            Floats = dataType == GoldenTensor.Float ? (hasRaw ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : [.. floats]) : null,
            Doubles = dataType == GoldenTensor.Double ? (hasRaw ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : [.. doubles]) : null,
            Int32s = dataType == GoldenTensor.Int32 ? (hasRaw ? MemoryMarshal.Cast<byte, int>(raw).ToArray() : [.. varints.Select(v => (int)v)]) : null,
            Int64s = dataType == GoldenTensor.Int64 ? (hasRaw ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. varints]) : null,
            UInt8s = dataType == GoldenTensor.UInt8 ? (hasRaw ? raw.ToArray() : [.. varints.Select(v => (byte)v)]) : null,
            Int8s = dataType == GoldenTensor.Int8 ? (hasRaw ? MemoryMarshal.Cast<byte, sbyte>(raw).ToArray() : [.. varints.Select(v => (sbyte)v)]) : null,
        };
        if (tensor.Floats is null && tensor.Doubles is null && tensor.Int32s is null && tensor.Int64s is null && tensor.UInt8s is null && tensor.Int8s is null)
        {
            throw new InvalidDataException($"{what} has ONNX data type {dataType}; the health gate reads float, double, int32, int64, uint8 and int8.");
        }

        var count = tensor.ToDoubles().LongLength;
        if (count != tensor.ElementCount)
        {
            throw new InvalidDataException($"{what} holds {count} elements, its dimensions [{string.Join(", ", tensor.Dimensions)}] need {tensor.ElementCount}.");
        }

        return tensor;
    }

    private static long ReadVarint(ReadOnlySpan<byte> bytes, scoped ref int position, string what)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new InvalidDataException($"{what} ends inside a varint at byte {position}.");
            }

            var b = bytes[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)result;
            }
        }

        throw new InvalidDataException($"{what} has a varint longer than 10 bytes at byte {position}.");
    }

    private static void ReadPackedVarints(ReadOnlySpan<byte> packed, List<long> into, string what)
    {
        var position = 0;
        while (position < packed.Length)
        {
            into.Add(ReadVarint(packed, ref position, what));
        }
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> bytes, scoped ref int position, string what)
    {
        var length = ReadVarint(bytes, ref position, what);
        return Take(bytes, ref position, length, what);
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, scoped ref int position, long length, string what)
    {
        if (length < 0 || position + length > bytes.Length)
        {
            throw new InvalidDataException($"{what} declares a field of {length} bytes at byte {position}, but only {bytes.Length - position} remain.");
        }

        var slice = bytes.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    private static void Skip(ReadOnlySpan<byte> bytes, scoped ref int position, int wire, string what)
    {
        _ = wire switch
        {
            0 => ReadVarint(bytes, ref position, what),
            1 => Take(bytes, ref position, 8, what).Length,
            2 => Slice(bytes, ref position, what).Length,
            5 => Take(bytes, ref position, 4, what).Length,
            _ => throw new InvalidDataException($"{what} uses protobuf wire type {wire} at byte {position}, which a TensorProto never holds."),
        };
    }
}
