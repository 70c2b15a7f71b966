namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>An axis-aligned box in pixel coordinates: left, top, right, bottom (right/bottom exclusive edges, x2 &gt;= x1).</summary>
/// <param name="X1">Left edge.</param>
/// <param name="Y1">Top edge.</param>
/// <param name="X2">Right edge.</param>
/// <param name="Y2">Bottom edge.</param>
public readonly record struct BoundingBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>Width, zero when the box is inverted.</summary>
    public float Width => MathF.Max(0, X2 - X1);

    /// <summary>Height, zero when the box is inverted.</summary>
    public float Height => MathF.Max(0, Y2 - Y1);

    /// <summary>Area in square pixels, zero when the box is empty or inverted.</summary>
    public float Area => Width * Height;

    /// <summary>Builds a box from its centre and size.</summary>
    public static BoundingBox FromCenter(float centerX, float centerY, float width, float height) =>
        new(centerX - (width / 2), centerY - (height / 2), centerX + (width / 2), centerY + (height / 2));

    /// <summary>Intersection over union with another box, in 0..1; 0 when either box is empty.</summary>
    public float IntersectionOverUnion(BoundingBox other)
    {
        var width = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        var height = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        if (width <= 0 || height <= 0)
        {
            return 0;
        }

        var intersection = width * height;
        var union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>Clamps the box to [0, width] x [0, height].</summary>
    public BoundingBox Clamp(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));
}
