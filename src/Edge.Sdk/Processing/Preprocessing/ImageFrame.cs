namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// A borrowed view of a raw frame: pixel bytes, size, format and row stride. Nothing is copied; the caller keeps
/// the memory alive (and unchanged) for the duration of the call it is passed to.
/// </summary>
public readonly ref struct ImageFrame
{
    /// <summary>Creates a frame view.</summary>
    /// <param name="data">The pixel bytes; for <see cref="PixelFormat.Nv12"/> the Y plane followed by the UV plane.</param>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="format">How the bytes are laid out.</param>
    /// <param name="stride">Bytes per row (of the Y plane for NV12); 0 means tightly packed.</param>
    /// <exception cref="ArgumentException">The size, stride or data length does not match the format.</exception>
    public ImageFrame(ReadOnlySpan<byte> data, int width, int height, PixelFormat format, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format.");
        }

        if (format is PixelFormat.Nv12 or PixelFormat.Yuyv && width % 2 != 0)
        {
            throw new ArgumentException($"{format} frames need an even width; got {width}.", nameof(width));
        }

        if (format == PixelFormat.Nv12 && height % 2 != 0)
        {
            throw new ArgumentException($"NV12 frames need an even height; got {height}.", nameof(height));
        }

        var minimumStride = width * BytesPerPixel(format);
        if (stride == 0)
        {
            stride = minimumStride;
        }
        else if (stride < minimumStride)
        {
            throw new ArgumentException($"Stride {stride} is smaller than one {format} row of {width} pixels ({minimumStride} bytes).", nameof(stride));
        }

        var rows = format == PixelFormat.Nv12 ? height + (height / 2) : height;
        var required = ((long)stride * (rows - 1)) + minimumStride;
        if (data.Length < required)
        {
            throw new ArgumentException(
                $"{format} frame of {width}x{height} with stride {stride} needs at least {required} bytes; got {data.Length}.", nameof(data));
        }

        Data = data;
        Width = width;
        Height = height;
        Format = format;
        Stride = stride;
    }

    /// <summary>The pixel bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixel layout.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes per row (of the Y plane for NV12).</summary>
    public int Stride { get; }

    /// <summary>Bytes per pixel in a row of the first plane: 1 for Gray8 and NV12's Y plane, 2 for YUYV, 3 or 4 for RGB formats.</summary>
    public static int BytesPerPixel(PixelFormat format) => format switch
    {
        PixelFormat.Rgb24 or PixelFormat.Bgr24 => 3,
        PixelFormat.Rgba32 or PixelFormat.Bgra32 => 4,
        PixelFormat.Gray8 or PixelFormat.Nv12 => 1,
        PixelFormat.Yuyv => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };
}
