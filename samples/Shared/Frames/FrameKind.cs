namespace Edge.Samples.Frames;

/// <summary>How the bytes of a <see cref="CapturedFrame"/> are to be read.</summary>
public enum FrameKind
{
    /// <summary>A compressed image file (JPEG, PNG, ...) decoded with SkiaSharp.</summary>
    Encoded,

    /// <summary>Raw pixels of a known size and <see cref="Edge.Sdk.Processing.Preprocessing.PixelFormat"/>.</summary>
    Raw,
}
