using SkiaSharp;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Preprocessing of SkiaSharp bitmaps (for example from <see cref="ImageDecoder"/>).</summary>
public static class ImagePreprocessorExtensions
{
    /// <summary>Views a bitmap's pixels as an <see cref="ImageFrame"/> without copying. Valid while the bitmap is alive and unchanged.</summary>
    /// <exception cref="NotSupportedException">The bitmap's colour type is not RGBA8888, BGRA8888 or Gray8.</exception>
    public static ImageFrame AsFrame(this SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var format = bitmap.ColorType switch
        {
            SKColorType.Rgba8888 => PixelFormat.Rgba32,
            SKColorType.Bgra8888 => PixelFormat.Bgra32,
            SKColorType.Gray8 => PixelFormat.Gray8,
            _ => throw new NotSupportedException(
                $"Bitmap colour type {bitmap.ColorType} is not supported; expected Rgba8888, Bgra8888 or Gray8 (ImageDecoder produces Rgba8888)."),
        };
        return new ImageFrame(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height, format, bitmap.RowBytes);
    }

    /// <summary>Preprocesses a bitmap into a float32 tensor buffer.</summary>
    /// <returns>The geometry applied, for mapping model coordinates back to the bitmap.</returns>
    public static ImageTransform Process(this ImagePreprocessor preprocessor, SKBitmap bitmap, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        return preprocessor.Process(bitmap.AsFrame(), destination);
    }

    /// <summary>Allocating convenience: preprocesses a bitmap into a new float32 array.</summary>
    public static float[] ProcessToArray(this ImagePreprocessor preprocessor, SKBitmap bitmap, out ImageTransform transform)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        return preprocessor.ProcessToArray(bitmap.AsFrame(), out transform);
    }
}
