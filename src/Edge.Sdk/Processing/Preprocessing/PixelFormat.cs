namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Memory layout of a raw frame handed to <see cref="ImagePreprocessor"/>. Alpha, where present, is ignored.</summary>
public enum PixelFormat
{
    /// <summary>8-bit R, G, B per pixel, 3 bytes.</summary>
    Rgb24,

    /// <summary>8-bit B, G, R per pixel, 3 bytes (OpenCV's default).</summary>
    Bgr24,

    /// <summary>8-bit R, G, B, A per pixel, 4 bytes (SkiaSharp <c>Rgba8888</c>).</summary>
    Rgba32,

    /// <summary>8-bit B, G, R, A per pixel, 4 bytes (SkiaSharp <c>Bgra8888</c>).</summary>
    Bgra32,

    /// <summary>8-bit luma, 1 byte per pixel; replicated to R = G = B when the spec wants colour.</summary>
    Gray8,

    /// <summary>
    /// YUV 4:2:0 semi-planar (V4L2 <c>NV12</c>, Jetson/Argus default): a full-resolution Y plane of <c>stride x height</c>
    /// bytes followed by a half-height plane of interleaved U, V pairs with the same stride. Width and height must be even.
    /// Converted with BT.601 limited-range (16..235) coefficients.
    /// </summary>
    Nv12,

    /// <summary>
    /// YUV 4:2:2 packed (V4L2 <c>YUYV</c>, also called YUY2, the usual USB webcam format): Y0 U Y1 V for each pair of
    /// pixels, 2 bytes per pixel. Width must be even. Converted with BT.601 limited-range coefficients.
    /// </summary>
    Yuyv,
}
