namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Converts one row of a YUV camera frame to RGB24 with BT.601 limited-range coefficients in 8.8 fixed point
/// (the integer form video drivers and libyuv use). Only the columns the horizontal filter reads are converted, which
/// for a 1280-wide frame resized to 224 is about a third of them.
/// </summary>
internal static class YuvRowConverter
{
    /// <summary>Converts the listed columns of NV12 row <paramref name="y"/> into consecutive RGB triplets in <paramref name="rgb"/>.</summary>
    public static void Nv12(ReadOnlySpan<byte> frame, int stride, int height, int y, ReadOnlySpan<int> columns, Span<byte> rgb)
    {
        var luma = frame.Slice(y * stride, stride);
        var chroma = frame.Slice((stride * height) + ((y >> 1) * stride), stride);
        for (var i = 0; i < columns.Length; i++)
        {
            var x = columns[i];
            var pair = x & ~1;
            Write(luma[x], chroma[pair], chroma[pair + 1], rgb, 3 * i);
        }
    }

    /// <summary>Converts the listed columns of YUYV row <paramref name="y"/> into consecutive RGB triplets in <paramref name="rgb"/>.</summary>
    public static void Yuyv(ReadOnlySpan<byte> frame, int stride, int y, ReadOnlySpan<int> columns, Span<byte> rgb)
    {
        var row = frame.Slice(y * stride, stride);
        for (var i = 0; i < columns.Length; i++)
        {
            var x = columns[i];
            var pair = (x & ~1) * 2;
            Write(row[x * 2], row[pair + 1], row[pair + 3], rgb, 3 * i);
        }
    }

    /// <summary>BT.601 limited range: R = 1.164 (Y-16) + 1.596 (V-128), and so on, rounded and clamped.</summary>
    public static void Write(byte y, byte u, byte v, Span<byte> rgb, int offset)
    {
        var c = 298 * (y - 16);
        var d = u - 128;
        var e = v - 128;
        rgb[offset] = Clamp((c + (409 * e) + 128) >> 8);
        rgb[offset + 1] = Clamp((c - (100 * d) - (208 * e) + 128) >> 8);
        rgb[offset + 2] = Clamp((c + (516 * d) + 128) >> 8);
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
