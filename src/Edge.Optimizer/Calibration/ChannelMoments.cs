using Edge.Packaging;

namespace Edge.Optimizer.Calibration;

/// <summary>
/// Running mean and variance of each position along axis 1 of a tensor (N x C x ...): per channel for a feature map,
/// per feature for a Gemm input. Memory is two numbers per channel whatever the number of samples.
/// </summary>
internal sealed class ChannelMoments
{
    private readonly double[] _sums;
    private readonly double[] _squares;
    private long _countPerChannel;

    public ChannelMoments(int channels)
    {
        _sums = new double[channels];
        _squares = new double[channels];
    }

    public int Count => _sums.Length;

    /// <summary>Adds one batch with its shape; a batch with another channel count is refused.</summary>
    public void Add(ReadOnlySpan<float> values, ReadOnlySpan<long> shape)
    {
        if (shape.Length < 2 || shape[1] != _sums.Length)
        {
            throw new ArgumentException($"Expected a tensor with {_sums.Length} entries on axis 1, got shape [{string.Join(", ", shape.ToArray())}].", nameof(shape));
        }

        if (_sums.Length == 0)
        {
            return;
        }

        // The same accumulation the drift reference and the agent's drift window use (Edge.Packaging.DriftStatistics).
        _countPerChannel += DriftStatistics.AddChannelMoments(values, shape, _sums, _squares);
    }

    /// <summary>The means so far (zeros before any batch).</summary>
    public double[] Means() => [.. _sums.Select(s => _countPerChannel == 0 ? 0 : s / _countPerChannel)];

    /// <summary>The (population) variances so far.</summary>
    public double[] Variances() => [.. _sums.Zip(_squares, (s, q) =>
    {
        if (_countPerChannel == 0)
        {
            return 0;
        }

        var mean = s / _countPerChannel;
        return Math.Max(0, (q / _countPerChannel) - (mean * mean));
    })];
}
