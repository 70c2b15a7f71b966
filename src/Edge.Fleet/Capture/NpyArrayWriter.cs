using System.Globalization;
using System.Text;

namespace Edge.Fleet.Capture;

/// <summary>Writes NumPy <c>.npy</c> version 1.0 arrays (little-endian, C order), the format <c>edge-optimize</c>'s <c>npy:</c> datasets read.</summary>
internal static class NpyArrayWriter
{
    /// <summary>The NumPy <c>descr</c> of a capture element type, or null for one NumPy has no type for (bfloat16).</summary>
    public static string? Descr(string elementType) => elementType switch
    {
        "float32" => "<f4",
        "float64" => "<f8",
        "float16" => "<f2",
        "int8" => "|i1",
        "uint8" => "|u1",
        "int16" => "<i2",
        "uint16" => "<u2",
        "int32" => "<i4",
        "uint32" => "<u4",
        "int64" => "<i8",
        "uint64" => "<u8",
        "bool" => "|b1",
        _ => null,
    };

    /// <summary>Writes the header of an array of <paramref name="shape"/>; the caller writes the data after it.</summary>
    public static void WriteHeader(Stream stream, string descr, IReadOnlyList<long> shape)
    {
        var dimensions = string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var tuple = shape.Count == 1 ? $"({dimensions},)" : $"({dimensions})";
        var dictionary = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}";

        // Magic (6) + version (2) + length (2) + dictionary + padding + '\n' is a multiple of 64.
        var unpadded = 10 + dictionary.Length + 1;
        var padding = (64 - (unpadded % 64)) % 64;
        var header = dictionary + new string(' ', padding) + "\n";
        stream.WriteByte(0x93); // not in a u8 literal: UTF-8 would write 0x93 as two bytes
        stream.Write("NUMPY"u8);
        stream.WriteByte(1);
        stream.WriteByte(0);
        var length = checked((ushort)header.Length);
        stream.WriteByte((byte)(length & 0xFF));
        stream.WriteByte((byte)(length >> 8));
        stream.Write(Encoding.ASCII.GetBytes(header));
    }
}
