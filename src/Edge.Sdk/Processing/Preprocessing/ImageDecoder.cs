using SkiaSharp;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Decodes JPEG and PNG (and anything else SkiaSharp reads) into an unpremultiplied RGBA <see cref="SKBitmap"/> that
/// <see cref="ImagePreprocessorExtensions"/> can preprocess. The caller owns and must dispose the returned bitmap.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes encoded image bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can decode.</exception>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"The {encoded.Length} bytes are not an image format SkiaSharp can decode (expected JPEG, PNG, WebP, GIF or BMP).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                throw new InvalidDataException($"Decoding a {info.Width}x{info.Height} image failed: {result}.");
            }

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>Reads and decodes an image file.</summary>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode; the message names the file.</exception>
    public static async Task<SKBitmap> DecodeAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Decode(bytes);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"'{path}': {exception.Message}", exception);
        }
    }

    /// <summary>Reads a stream to its end and decodes it. The stream is not disposed.</summary>
    /// <exception cref="InvalidDataException">The content is not an image SkiaSharp can decode.</exception>
    public static async Task<SKBitmap> DecodeAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
