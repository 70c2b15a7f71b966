using System.Numerics.Tensors;

namespace Edge.Optimizer.Calibration;

/// <summary>
/// The minimum and maximum of each channel (axis 1 of an N x C x H x W tensor) over the calibration set. One
/// per-tensor 8-bit scale serves every channel alike, so a channel whose range is a small fraction of the tensor's
/// is left with a few quantization levels; these ranges measure that.
/// </summary>
internal sealed class ChannelRanges
{
    private readonly float[] _min;
    private readonly float[] _max;

    public ChannelRanges(int channels)
    {
        _min = new float[channels];
        _max = new float[channels];
        _min.AsSpan().Fill(float.PositiveInfinity);
        _max.AsSpan().Fill(float.NegativeInfinity);
    }

    public int Count => _min.Length;

    public ReadOnlySpan<float> Min => _min;

    public ReadOnlySpan<float> Max => _max;

    /// <summary>Folds one batch of N x C x (H*W) values in.</summary>
    public void Add(ReadOnlySpan<float> values, int batch, int channels, int plane)
    {
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                var slice = values.Slice(((n * channels) + c) * plane, plane);
                if (slice.IsEmpty)
                {
                    continue;
                }

                _min[c] = Math.Min(_min[c], TensorPrimitives.Min(slice));
                _max[c] = Math.Max(_max[c], TensorPrimitives.Max(slice));
            }
        }
    }

    /// <summary>
    /// How many 8-bit levels of a scale over <paramref name="range"/> the channel at the given quantile of width gets
    /// (0 = narrowest channel, 0.5 = median channel), among the channels that vary at all: a channel that held one
    /// value over the whole calibration set (a dead ReLU channel is always 0) loses nothing to a coarse scale. Channel
    /// ranges are clipped to <paramref name="range"/> first; all 255 levels when no channel varies.
    /// </summary>
    public double LevelsAtQuantile(TensorRange range, double quantile)
    {
        var span = range.Max - range.Min;
        if (span <= 0)
        {
            return 255;
        }

        var widths = new List<double>(Count);
        for (var c = 0; c < Count; c++)
        {
            if (_max[c] > _min[c])
            {
                var lo = Math.Max(_min[c], range.Min);
                var hi = Math.Min(_max[c], range.Max);
                widths.Add(Math.Max(0, hi - lo) / span * 255);
            }
        }

        if (widths.Count == 0)
        {
            return 255;
        }

        widths.Sort();
        return widths[(int)Math.Min(widths.Count - 1, Math.Floor(quantile * widths.Count))];
    }

    /// <summary>Channels whose values varied over the calibration set.</summary>
    public int VaryingCount
    {
        get
        {
            var count = 0;
            for (var c = 0; c < Count; c++)
            {
                count += _max[c] > _min[c] ? 1 : 0;
            }

            return count;
        }
    }
}
