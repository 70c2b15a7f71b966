using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Converts one row of a YUV camera frame to RGB24 with BT.601 limited-range coefficients in 8.8 fixed point
/// (the integer form video drivers and libyuv use). Only the columns the horizontal filter reads are converted, which
/// for a 1280-wide frame resized to 224 is about a third of them. Every term of the equations comes from a 256-entry
/// table and the clamp from a 1,024-entry one, so a pixel costs table loads, additions and shifts, with no bounds
/// checks inside the loop (the columns are checked once per row).
/// </summary>
internal static unsafe class YuvRowConverter
{
    /// <summary>Where 0 sits in <see cref="Clamped"/>: the sums shifted by 8 span -277 to 534 for any Y, U and V.</summary>
    private const int ClampOffset = 384;

    /// <summary>298 (Y - 16) + 128 (the rounding half), plus the clamp table's offset in 8.8 fixed point.</summary>
    private static readonly int[] LumaTerm = Table(y => (298 * (y - 16)) + 128 + (ClampOffset << 8));
    private static readonly int[] RedFromV = Table(v => 409 * (v - 128));
    private static readonly int[] GreenFromU = Table(u => -100 * (u - 128));
    private static readonly int[] GreenFromV = Table(v => -208 * (v - 128));
    private static readonly int[] BlueFromU = Table(u => 516 * (u - 128));
    private static readonly byte[] Clamped = [.. Enumerable.Range(-ClampOffset, 1024).Select(v => (byte)Math.Clamp(v, 0, 255))];

    /// <summary>
    /// Converts the listed columns (ascending, as <see cref="FramePlan.UsedColumns"/>) of NV12 row <paramref name="y"/>
    /// into consecutive RGB triplets in <paramref name="rgb"/>.
    /// </summary>
    public static void Nv12(ReadOnlySpan<byte> frame, int stride, int height, int y, ReadOnlySpan<int> columns, Span<byte> rgb)
    {
        var luma = frame.Slice(y * stride, stride);
        var chroma = frame.Slice((stride * height) + ((y >> 1) * stride), stride);
        CheckColumns(columns, stride, rgb, bytesPerPixel: 1);
        fixed (byte* l = luma, c = chroma, output = rgb)
        fixed (int* x = columns)
        {
            var tables = new Tables();
            for (var i = 0; i < columns.Length; i++)
            {
                var pair = x[i] & ~1;
                tables.Write(l[x[i]], c[pair], c[pair + 1], output + (3 * i));
            }
        }
    }

    /// <summary>Converts the listed columns (ascending) of YUYV row <paramref name="y"/> into consecutive RGB triplets in <paramref name="rgb"/>.</summary>
    public static void Yuyv(ReadOnlySpan<byte> frame, int stride, int y, ReadOnlySpan<int> columns, Span<byte> rgb)
    {
        var row = frame.Slice(y * stride, stride);
        CheckColumns(columns, stride, rgb, bytesPerPixel: 2);
        fixed (byte* r = row, output = rgb)
        fixed (int* x = columns)
        {
            var tables = new Tables();
            for (var i = 0; i < columns.Length; i++)
            {
                var pair = (x[i] & ~1) * 2;
                tables.Write(r[x[i] * 2], r[pair + 1], r[pair + 3], output + (3 * i));
            }
        }
    }

    /// <summary>BT.601 limited range: R = 1.164 (Y-16) + 1.596 (V-128), and so on, rounded and clamped.</summary>
    public static void Write(byte y, byte u, byte v, Span<byte> rgb, int offset)
    {
        fixed (byte* output = rgb.Slice(offset, 3))
        {
            new Tables().Write(y, u, v, output);
        }
    }

    /// <summary>The columns are ascending, so the first and last bound them all; the pair's second chroma byte must fit too.</summary>
    private static void CheckColumns(ReadOnlySpan<int> columns, int stride, ReadOnlySpan<byte> rgb, int bytesPerPixel)
    {
        if (rgb.Length < 3 * columns.Length)
        {
            throw new ArgumentException($"The RGB row holds {rgb.Length} bytes; {columns.Length} columns need {3 * columns.Length}.", nameof(rgb));
        }

        if (columns.Length > 0 && (columns[0] < 0 || ((columns[^1] & ~1) + 2) * bytesPerPixel > stride))
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"Columns {columns[0]} to {columns[^1]} do not fit a row of {stride} bytes.");
        }
    }

    private static int[] Table(Func<int, int> term) => [.. Enumerable.Range(0, 256).Select(term)];

    /// <summary>References to the tables' first elements, read without bounds checks: every index is a byte, or a sum whose range the table covers.</summary>
    private readonly ref struct Tables
    {
        private readonly ref int luma;
        private readonly ref int red;
        private readonly ref int greenU;
        private readonly ref int greenV;
        private readonly ref int blue;
        private readonly ref byte clamp;

        public Tables()
        {
            luma = ref MemoryMarshal.GetArrayDataReference(LumaTerm);
            red = ref MemoryMarshal.GetArrayDataReference(RedFromV);
            greenU = ref MemoryMarshal.GetArrayDataReference(GreenFromU);
            greenV = ref MemoryMarshal.GetArrayDataReference(GreenFromV);
            blue = ref MemoryMarshal.GetArrayDataReference(BlueFromU);
            clamp = ref MemoryMarshal.GetArrayDataReference(Clamped);
        }

        public void Write(byte y, byte u, byte v, byte* output)
        {
            var c = Unsafe.Add(ref luma, y);
            output[0] = Unsafe.Add(ref clamp, (c + Unsafe.Add(ref red, v)) >> 8);
            output[1] = Unsafe.Add(ref clamp, (c + Unsafe.Add(ref greenU, u) + Unsafe.Add(ref greenV, v)) >> 8);
            output[2] = Unsafe.Add(ref clamp, (c + Unsafe.Add(ref blue, u)) >> 8);
        }
    }
}
