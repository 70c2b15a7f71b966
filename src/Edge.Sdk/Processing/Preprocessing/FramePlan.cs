namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Everything that depends only on the frame's size and format: the geometry, both axis filters, the gather offsets
/// and the scratch rows. <see cref="ImagePreprocessor"/> keeps the last plan, so a camera stream of same-sized frames
/// allocates nothing after the first frame.
/// </summary>
internal sealed class FramePlan
{
    public FramePlan(PreprocessSpec spec, int width, int height, PixelFormat format)
    {
        SourceWidth = width;
        SourceHeight = height;
        Format = format;
        var horizontal = ComputeAxis(spec, width, height, horizontal: true);
        var vertical = ComputeAxis(spec, width, height, horizontal: false);
        ContentX = horizontal.Start;
        ContentY = vertical.Start;
        Transform = new ImageTransform((float)horizontal.Scale, (float)vertical.Scale, (float)horizontal.Offset, (float)vertical.Offset, width, height);
        XAxis = ResampleAxis.Create(spec.Interpolation, width, horizontal.Scale, horizontal.Offset, horizontal.Start, horizontal.Count);
        YAxis = ResampleAxis.Create(spec.Interpolation, height, vertical.Scale, vertical.Offset, vertical.Start, vertical.Count);

        // YUV rows are first converted to an RGB24 scratch row holding only the distinct columns the taps read.
        var converts = format is PixelFormat.Nv12 or PixelFormat.Yuyv;
        var bytesPerPixel = converts ? 3 : ImageFrame.BytesPerPixel(format);
        UsedColumns = converts ? XAxis.Index.Distinct().Order().ToArray() : [];
        ColumnOffsets = new int[XAxis.Index.Length];
        for (var i = 0; i < ColumnOffsets.Length; i++)
        {
            ColumnOffsets[i] = (converts ? Array.BinarySearch(UsedColumns, XAxis.Index[i]) : XAxis.Index[i]) * bytesPerPixel;
        }

        (BytesPerPixel, RedOffset, GreenOffset, BlueOffset) = format switch
        {
            PixelFormat.Rgb24 or PixelFormat.Nv12 or PixelFormat.Yuyv => (3, 0, 1, 2),
            PixelFormat.Bgr24 => (3, 2, 1, 0),
            PixelFormat.Rgba32 => (4, 0, 1, 2),
            PixelFormat.Bgra32 => (4, 2, 1, 0),
            _ => (1, 0, 0, 0),
        };
        ConvertedRow = new byte[UsedColumns.Length * 3];
        RingRows = new float[YAxis.Taps][];
        RingTags = new int[YAxis.Taps];
        for (var i = 0; i < RingRows.Length; i++)
        {
            RingRows[i] = new float[3 * XAxis.Count];
            RingTags[i] = -1;
        }

        Blended = new float[3 * XAxis.Count];
        Normalized = new float[XAxis.Count];
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public PixelFormat Format { get; }

    public ImageTransform Transform { get; }

    /// <summary>First output column of the content (letterbox left padding).</summary>
    public int ContentX { get; }

    /// <summary>First output row of the content (letterbox top padding).</summary>
    public int ContentY { get; }

    public ResampleAxis XAxis { get; }

    public ResampleAxis YAxis { get; }

    /// <summary>For YUV formats: the sorted distinct source columns the horizontal taps read.</summary>
    public int[] UsedColumns { get; }

    /// <summary>Byte offset in the source (or converted) row of each horizontal tap.</summary>
    public int[] ColumnOffsets { get; }

    public int BytesPerPixel { get; }

    public int RedOffset { get; }

    public int GreenOffset { get; }

    public int BlueOffset { get; }

    /// <summary>RGB24 scratch for one YUV row (the <see cref="UsedColumns"/> only).</summary>
    public byte[] ConvertedRow { get; }

    /// <summary>Horizontally resampled source rows, planar R|G|B; a ring indexed by source row modulo the tap count.</summary>
    public float[][] RingRows { get; }

    /// <summary>Which source row each ring slot holds; -1 when empty.</summary>
    public int[] RingTags { get; }

    /// <summary>One output row after vertical resampling, planar R|G|B.</summary>
    public float[] Blended { get; }

    /// <summary>One normalised channel row, for layouts and types that cannot be written in place.</summary>
    public float[] Normalized { get; }

    public bool Matches(int width, int height, PixelFormat format) =>
        width == SourceWidth && height == SourceHeight && format == Format;

    public void ResetRing() => Array.Fill(RingTags, -1);

    private static (double Scale, double Offset, int Start, int Count) ComputeAxis(PreprocessSpec spec, int width, int height, bool horizontal)
    {
        var source = horizontal ? width : height;
        var target = horizontal ? spec.Width : spec.Height;
        switch (spec.Resize)
        {
            case ResizeMode.ShorterSideCrop:
            {
                var factor = Math.Max((double)spec.Width / width, (double)spec.Height / height);
                if (spec.ShorterSide is { } shorter)
                {
                    factor = Math.Max(factor, (double)shorter / Math.Min(width, height));
                }

                var resized = Math.Max(target, (int)Math.Round(source * factor));
                var crop = (resized - target) / 2;
                return ((double)resized / source, -crop, 0, target);
            }

            case ResizeMode.Letterbox:
            {
                var factor = Math.Min((double)spec.Width / width, (double)spec.Height / height);
                var resized = Math.Clamp((int)Math.Round(source * factor), 1, target);
                var pad = spec.Alignment == PadAlignment.Center ? (target - resized) / 2 : 0;
                return ((double)resized / source, pad, pad, resized);
            }

            default:
                return ((double)target / source, 0, 0, target);
        }
    }
}
