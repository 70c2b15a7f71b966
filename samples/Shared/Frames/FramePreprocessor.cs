using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Samples.Frames;

/// <summary>Turns a <see cref="CapturedFrame"/> into a model input with the SDK's <see cref="ImagePreprocessor"/>.</summary>
public sealed class FramePreprocessor
{
    private readonly ImagePreprocessor _preprocessor;

    /// <summary>Creates a preprocessor for <paramref name="spec"/>.</summary>
    public FramePreprocessor(PreprocessSpec spec)
    {
        _preprocessor = new ImagePreprocessor(spec);
    }

    /// <summary>Floats in one model input.</summary>
    public int OutputLength => _preprocessor.OutputLength;

    /// <summary>Writes the model input for <paramref name="frame"/> into <paramref name="destination"/>.</summary>
    /// <returns>The mapping from model coordinates back to the frame's pixels.</returns>
    /// <exception cref="InvalidDataException">An encoded frame could not be decoded.</exception>
    public ImageTransform Process(CapturedFrame frame, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Kind == FrameKind.Raw)
        {
            return _preprocessor.Process(new ImageFrame(frame.Data, frame.Width, frame.Height, frame.Format), destination);
        }

        // JPEG decoding allocates a bitmap per frame; SkiaSharp offers no decode-into-existing-buffer for arbitrary sizes.
        using var bitmap = ImageDecoder.Decode(frame.Data);
        return _preprocessor.Process(bitmap, destination);
    }
}
