namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>
/// Decodes the raw head output of an anchor-free YOLOX export (decode-in-inference off), shape [1, anchors, 5 + classes]:
/// per anchor x, y, log w, log h, objectness, then class scores (objectness and class scores already sigmoid-activated).
/// Anchors are the cells of one grid per stride (8, 16, 32 by default), row-major, finest stride first; for a 416x416
/// input that is 52x52 + 26x26 + 13x13 = 3549. Box centre = (x + cell) * stride, size = exp(log size) * stride, in
/// model-input pixels; score = objectness x best class score.
/// </summary>
/// <remarks>Grids are precomputed in the constructor; <see cref="Decode(ReadOnlySpan{float}, float, List{Detection})"/> does not allocate beyond growing the list.</remarks>
public sealed class YoloxDecoder
{
    private readonly float[] _cellX;
    private readonly float[] _cellY;
    private readonly float[] _stride;

    /// <summary>Precomputes the anchor grid for a model input size.</summary>
    /// <param name="inputWidth">Model input width in pixels (416 for YOLOX-Nano).</param>
    /// <param name="inputHeight">Model input height in pixels.</param>
    /// <param name="strides">Head strides, finest first; default 8, 16, 32.</param>
    public YoloxDecoder(int inputWidth, int inputHeight, IReadOnlyList<int>? strides = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);
        strides ??= [8, 16, 32];
        var anchors = strides.Sum(s => (inputWidth / s) * (inputHeight / s));
        _cellX = new float[anchors];
        _cellY = new float[anchors];
        _stride = new float[anchors];
        var index = 0;
        foreach (var stride in strides)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1, nameof(strides));
            for (var y = 0; y < inputHeight / stride; y++)
            {
                for (var x = 0; x < inputWidth / stride; x++)
                {
                    _cellX[index] = x;
                    _cellY[index] = y;
                    _stride[index] = stride;
                    index++;
                }
            }
        }

        InputWidth = inputWidth;
        InputHeight = inputHeight;
    }

    /// <summary>Model input width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>Model input height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>Number of anchors (grid cells over all strides) the output must have.</summary>
    public int AnchorCount => _stride.Length;

    /// <summary>Appends every anchor whose objectness x best class score reaches <paramref name="scoreThreshold"/>; run NMS afterwards.</summary>
    /// <param name="output">The model output, anchors x (5 + classes) floats.</param>
    /// <param name="scoreThreshold">Minimum score in 0..1.</param>
    /// <param name="destination">Receives candidates with boxes in model-input pixels.</param>
    /// <exception cref="ArgumentException">The output length does not match the anchor grid.</exception>
    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, List<Detection> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var anchors = AnchorCount;
        if (output.Length % anchors != 0 || output.Length / anchors < 6)
        {
            throw new ArgumentException(
                $"YOLOX output has {output.Length} floats; expected {anchors} anchors x (5 + classes) for a {InputWidth}x{InputHeight} input.", nameof(output));
        }

        var width = output.Length / anchors;
        for (var i = 0; i < anchors; i++)
        {
            var row = output.Slice(i * width, width);
            var objectness = row[4];
            if (objectness < scoreThreshold)
            {
                // Class scores are at most 1, so the product cannot reach the threshold.
                continue;
            }

            var classes = row[5..];
            var bestClass = 0;
            for (var c = 1; c < classes.Length; c++)
            {
                if (classes[c] > classes[bestClass])
                {
                    bestClass = c;
                }
            }

            var score = objectness * classes[bestClass];
            if (score < scoreThreshold)
            {
                continue;
            }

            var stride = _stride[i];
            var box = BoundingBox.FromCenter(
                (row[0] + _cellX[i]) * stride,
                (row[1] + _cellY[i]) * stride,
                MathF.Exp(row[2]) * stride,
                MathF.Exp(row[3]) * stride);
            destination.Add(new Detection(box, bestClass, score));
        }
    }
}
