using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// The geometry <see cref="ImagePreprocessor"/> applied: a point at source pixel coordinate <c>s</c> lands at model
/// input coordinate <c>s * Scale + Offset</c> on each axis (continuous coordinates, pixel edges at integers). For a
/// letterbox the offsets are the padding; for a centre crop they are minus the crop origin. Use
/// <see cref="ToSource(BoundingBox)"/> to map detector boxes back onto the original image.
/// </summary>
/// <param name="ScaleX">Model pixels per source pixel, horizontally.</param>
/// <param name="ScaleY">Model pixels per source pixel, vertically.</param>
/// <param name="OffsetX">Horizontal shift in model pixels (letterbox left padding, or minus the crop's left edge).</param>
/// <param name="OffsetY">Vertical shift in model pixels (letterbox top padding, or minus the crop's top edge).</param>
/// <param name="SourceWidth">Width of the original image in pixels.</param>
/// <param name="SourceHeight">Height of the original image in pixels.</param>
public readonly record struct ImageTransform(float ScaleX, float ScaleY, float OffsetX, float OffsetY, int SourceWidth, int SourceHeight)
{
    /// <summary>Maps a model-input x coordinate to the source image.</summary>
    public float ToSourceX(float modelX) => (modelX - OffsetX) / ScaleX;

    /// <summary>Maps a model-input y coordinate to the source image.</summary>
    public float ToSourceY(float modelY) => (modelY - OffsetY) / ScaleY;

    /// <summary>Maps a box in model-input pixels to source-image pixels, clamped to the image.</summary>
    public BoundingBox ToSource(BoundingBox modelBox) =>
        new BoundingBox(ToSourceX(modelBox.X1), ToSourceY(modelBox.Y1), ToSourceX(modelBox.X2), ToSourceY(modelBox.Y2))
            .Clamp(SourceWidth, SourceHeight);

    /// <summary>Maps a box in source-image pixels to model-input pixels (not clamped).</summary>
    public BoundingBox ToModel(BoundingBox sourceBox) =>
        new((sourceBox.X1 * ScaleX) + OffsetX, (sourceBox.Y1 * ScaleY) + OffsetY, (sourceBox.X2 * ScaleX) + OffsetX, (sourceBox.Y2 * ScaleY) + OffsetY);
}
