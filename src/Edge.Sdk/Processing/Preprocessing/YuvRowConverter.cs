namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Converts one row of a YUV camera frame to RGB24 with BT.601 limited-range coefficients in 8.8 fixed point
/// (the integer form video drivers and libyuv use), so only the columns the resampler reads are converted.
/// </summary>
internal static class YuvRowConverter
{
    /// <summary>Converts columns <paramref name="firstColumn"/>..<paramref name="lastColumn"/> of NV12 row <paramref name="y"/> into <paramref name="rgb"/>.</summary>
    public static void Nv12(ReadOnlySpan<byte> frame, int stride, int height, int y, int firstColumn, int lastColumn, Span<byte> rgb)
    {
        var luma = frame.Slice(y * stride);
        var chroma = frame.Slice((stride * height) + ((y >> 1) * stride));
        var output = 0;
        for (var x = firstColumn; x <= lastColumn; x++)
        {
            var pair = x & ~1;
            Write(luma[x], chroma[pair], chroma[pair + 1], rgb.Slice(output, 3));
            output += 3;
        }
    }

    /// <summary>Converts columns <paramref name="firstColumn"/>..<paramref name="lastColumn"/> of YUYV row <paramref name="y"/> into <paramref name="rgb"/>.</summary>
    public static void Yuyv(ReadOnlySpan<byte> frame, int stride, int y, int firstColumn, int lastColumn, Span<byte> rgb)
    {
        var row = frame.Slice(y * stride);
        var output = 0;
        for (var x = firstColumn; x <= lastColumn; x++)
        {
            var pair = (x & ~1) * 2;
            Write(row[x * 2], row[pair + 1], row[pair + 3], rgb.Slice(output, 3));
            output += 3;
        }
    }

    /// <summary>BT.601 limited range: R = 1.164 (Y-16) + 1.596 (V-128), and so on, rounded and clamped.</summary>
    public static void Write(byte y, byte u, byte v, Span<byte> rgb)
    {
        var c = 298 * (y - 16);
        var d = u - 128;
        var e = v - 128;
        rgb[0] = Clamp((c + (409 * e) + 128) >> 8);
        rgb[1] = Clamp((c - (100 * d) - (208 * e) + 128) >> 8);
        rgb[2] = Clamp((c + (516 * d) + 128) >> 8);
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
