namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Precomputed 1-D resampling filter for one axis: for each output pixel, <see cref="Taps"/> source indices (already
/// clamped to the image) and weights that sum to 1. Built once per frame geometry so the per-frame loops only gather.
/// </summary>
internal sealed class ResampleAxis
{
    private ResampleAxis(int count, int taps)
    {
        Count = count;
        Taps = taps;
        Index = new int[count * taps];
        Weight = new float[count * taps];
    }

    /// <summary>Number of output pixels covered (the content, excluding letterbox padding).</summary>
    public int Count { get; }

    /// <summary>Source samples per output pixel.</summary>
    public int Taps { get; }

    /// <summary>Source index of tap <c>k</c> for output <c>i</c> at <c>i * Taps + k</c>.</summary>
    public int[] Index { get; }

    /// <summary>Weight of tap <c>k</c> for output <c>i</c> at <c>i * Taps + k</c>.</summary>
    public float[] Weight { get; }

    /// <summary>Builds the filter for output pixels <c>contentStart .. contentStart + count</c>, where output = source * scale + offset.</summary>
    public static ResampleAxis Create(Interpolation interpolation, int sourceSize, double scale, double offset, int contentStart, int count)
    {
        var useArea = interpolation == Interpolation.Area && scale < 1;
        var taps = interpolation switch
        {
            Interpolation.Nearest => 1,
            Interpolation.Cubic => 4,
            _ when useArea => (int)Math.Ceiling(1 / scale) + 1,
            _ => 2,
        };
        var axis = new ResampleAxis(count, taps);
        for (var i = 0; i < count; i++)
        {
            var output = contentStart + i;

            // Centre of the output pixel, expressed in source pixel-index units (pixel j is centred at j + 0.5).
            var center = ((output + 0.5 - offset) / scale) - 0.5;
            var span = axis.Index.AsSpan(i * taps, taps);
            var weights = axis.Weight.AsSpan(i * taps, taps);
            if (interpolation == Interpolation.Nearest)
            {
                span[0] = (int)Math.Floor(center + 0.5);
                weights[0] = 1;
            }
            else if (useArea)
            {
                FillArea(span, weights, (output - offset) / scale, (output + 1 - offset) / scale, sourceSize);
            }
            else
            {
                var first = (int)Math.Floor(center);
                var fraction = center - first;
                if (interpolation == Interpolation.Cubic)
                {
                    FillCubic(span, weights, first, fraction);
                }
                else
                {
                    span[0] = first;
                    span[1] = first + 1;
                    weights[0] = (float)(1 - fraction);
                    weights[1] = (float)fraction;
                }
            }

            for (var k = 0; k < taps; k++)
            {
                span[k] = Math.Clamp(span[k], 0, sourceSize - 1);
            }
        }

        return axis;
    }

    private static void FillCubic(Span<int> index, Span<float> weights, int first, double t)
    {
        // Keys cubic convolution with a = -0.75, the coefficient OpenCV's INTER_CUBIC uses.
        const double a = -0.75;
        double Near(double x) => (((a + 2) * x) - (a + 3)) * x * x + 1;
        double Far(double x) => (((a * x) - (5 * a)) * x + (8 * a)) * x - (4 * a);
        index[0] = first - 1;
        index[1] = first;
        index[2] = first + 1;
        index[3] = first + 2;
        weights[0] = (float)Far(1 + t);
        weights[1] = (float)Near(t);
        weights[2] = (float)Near(1 - t);
        weights[3] = (float)(1 - weights[0] - weights[1] - weights[2]);
    }

    private static void FillArea(Span<int> index, Span<float> weights, double start, double end, int sourceSize)
    {
        start = Math.Clamp(start, 0, sourceSize);
        end = Math.Clamp(end, 0, sourceSize);
        var first = Math.Min((int)Math.Floor(start), sourceSize - 1);
        var total = Math.Max(end - start, 1e-9);
        for (var k = 0; k < index.Length; k++)
        {
            var pixel = first + k;
            var overlap = Math.Min(end, pixel + 1) - Math.Max(start, pixel);
            index[k] = pixel;
            weights[k] = overlap > 0 && pixel < sourceSize ? (float)(overlap / total) : 0f;
        }
    }
}
