using System.Numerics.Tensors;

namespace Edge.Optimizer.Calibration;

/// <summary>
/// Streaming statistics of one tensor over the calibration set: minimum, maximum and, when asked, a histogram of |x|.
/// Memory is fixed (<see cref="BinCount"/> counters) whatever the number of samples: when a batch exceeds the
/// histogram's range, the range doubles and neighbouring bins merge pairwise, which keeps every count exact.
/// </summary>
internal sealed class TensorStatistics
{
    /// <summary>Number of histogram bins over [0, <see cref="HistogramLimit"/>).</summary>
    public const int BinCount = 2048;

    private readonly long[]? _histogram;
    private bool _channelsInconsistent;

    public TensorStatistics(string name, bool collectHistogram)
    {
        Name = name;
        _histogram = collectHistogram ? new long[BinCount] : null;
    }

    public string Name { get; }

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Number of values seen.</summary>
    public long Count { get; private set; }

    /// <summary>The upper edge of the |x| histogram; 0 until a non-zero value is seen.</summary>
    public float HistogramLimit { get; private set; }

    /// <summary>The histogram of |x| (null when not collected). Bin i covers [i, i+1) * limit / <see cref="BinCount"/>.</summary>
    public ReadOnlySpan<long> Histogram => _histogram;

    public bool HasHistogram => _histogram is not null;

    /// <summary>Per-channel minimum and maximum along axis 1 of rank-4 values; null for other ranks or a varying channel count.</summary>
    public ChannelRanges? ChannelRanges { get; private set; }

    /// <summary>Adds one batch of values with their shape; rank-4 values also update the per-channel ranges.</summary>
    public void Add(ReadOnlySpan<float> values, ReadOnlySpan<long> shape)
    {
        Add(values);
        if (shape.Length != 4 || _channelsInconsistent || values.IsEmpty)
        {
            return;
        }

        var channels = (int)shape[1];
        ChannelRanges ??= new ChannelRanges(channels);
        if (ChannelRanges.Count != channels)
        {
            // a channel axis whose size changes between batches is not a channel axis; stop rather than mislead
            _channelsInconsistent = true;
            ChannelRanges = null;
            return;
        }

        ChannelRanges.Add(values, (int)shape[0], channels, (int)(shape[2] * shape[3]));
    }

    /// <summary>Adds one batch of values. NaN or infinite values are refused: no range could represent them.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var min = TensorPrimitives.Min(values);
        var max = TensorPrimitives.Max(values);
        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            throw new InvalidDataException(
                $"Tensor '{Name}' produced {(float.IsNaN(min) || float.IsNaN(max) ? "NaN" : "infinite")} values during calibration; a quantization range needs finite values. Check the calibration inputs and preprocessing.");
        }

        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
        Count += values.Length;
        if (_histogram is not null)
        {
            AddToHistogram(values, Math.Max(Math.Abs(min), Math.Abs(max)));
        }
    }

    private void AddToHistogram(ReadOnlySpan<float> values, float absoluteMax)
    {
        if (absoluteMax == 0)
        {
            _histogram![0] += values.Length;
            return;
        }

        if (HistogramLimit == 0)
        {
            HistogramLimit = absoluteMax;
        }

        while (absoluteMax > HistogramLimit)
        {
            Double();
        }

        var histogram = _histogram!;
        var binsPerUnit = BinCount / HistogramLimit;
        foreach (var value in values)
        {
            var bin = (int)(Math.Abs(value) * binsPerUnit);
            histogram[bin < BinCount ? bin : BinCount - 1]++;
        }
    }

    /// <summary>Doubles the range: bins 2i and 2i+1 merge into bin i, the upper half starts empty.</summary>
    private void Double()
    {
        var histogram = _histogram!;
        for (var i = 0; i < BinCount / 2; i++)
        {
            histogram[i] = histogram[2 * i] + histogram[(2 * i) + 1];
        }

        histogram.AsSpan(BinCount / 2).Clear();
        HistogramLimit *= 2;
    }
}
