namespace Edge.Optimizer.Calibration;

/// <summary>Turns <see cref="TensorStatistics"/> into the range an activation is quantized over.</summary>
internal static class RangeEstimator
{
    public static TensorRange Estimate(TensorStatistics statistics, CalibrationMethod method, double percentile)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.Count == 0)
        {
            throw new InvalidOperationException($"Tensor '{statistics.Name}' has no calibration values.");
        }

        var full = new TensorRange(statistics.Min, statistics.Max);
        if (method == CalibrationMethod.MinMax || statistics.HistogramLimit == 0)
        {
            return full;
        }

        if (!statistics.HasHistogram)
        {
            throw new InvalidOperationException($"Tensor '{statistics.Name}' was calibrated without a histogram, which {method} needs.");
        }

        var threshold = method switch
        {
            CalibrationMethod.Percentile => PercentileThreshold(statistics, percentile),
            CalibrationMethod.Mse => MseThreshold(statistics),
            _ => EntropyThreshold(statistics),
        };
        return new TensorRange(Math.Max(full.Min, -threshold), Math.Min(full.Max, threshold));
    }

    /// <summary>The |x| below which <paramref name="percentile"/> percent of the values lie (upper edge of that bin).</summary>
    public static float PercentileThreshold(TensorStatistics statistics, double percentile)
    {
        var histogram = statistics.Histogram;
        var target = statistics.Count * percentile / 100.0;
        long cumulative = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            cumulative += histogram[i];
            if (cumulative >= target)
            {
                return (i + 1) * statistics.HistogramLimit / TensorStatistics.BinCount;
            }
        }

        return statistics.HistogramLimit;
    }

    /// <summary>
    /// The clipping magnitude with the smallest expected squared error over the |x| histogram. A value inside the range
    /// loses a rounding error of step²/12 on average; one beyond it is clipped to the range's edge. The step is the
    /// range the tensor would get (its own minimum and maximum clipped to ±threshold) over 255. Only clipping
    /// candidates at least 1/16 of the largest |x| are tried, which keeps a near-constant tensor from collapsing to zero.
    /// </summary>
    public static float MseThreshold(TensorStatistics statistics)
    {
        var histogram = statistics.Histogram;
        var bins = histogram.Length;
        var width = (double)statistics.HistogramLimit / bins;
        var largest = Math.Max(Math.Abs(statistics.Min), Math.Abs(statistics.Max));
        var firstCandidate = Math.Max(1, (int)Math.Ceiling(largest / 16 / width));
        var lastCandidate = Math.Min(bins, (int)Math.Ceiling(largest / width));

        // Suffix sums let each candidate's clipping error be computed in O(1): Σ n·(v - t)² = S2 - 2t·S1 + t²·S0 over bins past t.
        var count = new double[bins + 1];
        var sum = new double[bins + 1];
        var squares = new double[bins + 1];
        for (var i = bins - 1; i >= 0; i--)
        {
            var centre = (i + 0.5) * width;
            count[i] = count[i + 1] + histogram[i];
            sum[i] = sum[i + 1] + (histogram[i] * centre);
            squares[i] = squares[i + 1] + (histogram[i] * centre * centre);
        }

        var bestError = double.PositiveInfinity;
        var best = lastCandidate;
        for (var end = firstCandidate; end <= lastCandidate; end++)
        {
            var threshold = end * width;
            var step = (Math.Min(statistics.Max, threshold) - Math.Max(statistics.Min, -threshold)) / 255.0;
            var inside = count[0] - count[end];
            var clipped = squares[end] - (2 * threshold * sum[end]) + (threshold * threshold * count[end]);
            var error = (inside * step * step / 12) + Math.Max(0, clipped);
            if (error < bestError)
            {
                bestError = error;
                best = end;
            }
        }

        return (float)(best * width);
    }

    /// <summary>
    /// The clipping magnitude whose 8-bit quantization of the |x| histogram loses the least information (smallest
    /// KL divergence from the clipped reference distribution, outliers folded into the last bin), as TensorRT does.
    /// </summary>
    public static float EntropyThreshold(TensorStatistics statistics)
    {
        var histogram = statistics.Histogram;
        var bins = histogram.Length;
        var reference = new double[bins];
        var candidate = new double[bins];
        var bestDivergence = double.PositiveInfinity;
        var bestEnd = bins;

        // |x| of a signed tensor gets 7 of the 8 bits; a non-negative one (after ReLU) gets all 256 levels.
        var levels = statistics.Min >= 0 ? 256 : 128;
        long tail = 0;
        for (var i = levels; i < bins; i++)
        {
            tail += histogram[i];
        }

        for (var end = levels; end <= bins; end++)
        {
            for (var i = 0; i < end; i++)
            {
                reference[i] = histogram[i];
            }

            // The candidate is built from the clipped histogram without the outliers; the reference keeps them in its
            // last bin, so clipping more mass costs divergence (otherwise 128 bins would always match exactly).
            Quantize(reference, candidate, end, levels);
            reference[end - 1] += tail;
            if (end < bins)
            {
                tail -= histogram[end];
            }

            var divergence = Divergence(reference, candidate, end);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                bestEnd = end;
            }
        }

        return bestEnd * statistics.HistogramLimit / bins;
    }

    /// <summary>Merges the first <paramref name="length"/> bins into <paramref name="levels"/> groups and spreads each group over its non-empty bins.</summary>
    private static void Quantize(double[] reference, double[] candidate, int length, int levels)
    {
        var perGroup = (double)length / levels;
        for (var group = 0; group < levels; group++)
        {
            var start = (int)(group * perGroup);
            var stop = group == levels - 1 ? length : (int)((group + 1) * perGroup);
            double sum = 0;
            var nonEmpty = 0;
            for (var i = start; i < stop; i++)
            {
                sum += reference[i];
                nonEmpty += reference[i] > 0 ? 1 : 0;
            }

            var share = nonEmpty == 0 ? 0 : sum / nonEmpty;
            for (var i = start; i < stop; i++)
            {
                candidate[i] = reference[i] > 0 ? share : 0;
            }
        }
    }

    private static double Divergence(double[] reference, double[] candidate, int length)
    {
        double referenceSum = 0, candidateSum = 0;
        for (var i = 0; i < length; i++)
        {
            referenceSum += reference[i];
            candidateSum += candidate[i];
        }

        if (referenceSum == 0 || candidateSum == 0)
        {
            return double.PositiveInfinity;
        }

        double divergence = 0;
        for (var i = 0; i < length; i++)
        {
            if (reference[i] > 0)
            {
                var p = reference[i] / referenceSum;
                var q = candidate[i] / candidateSum;
                divergence += q > 0 ? p * Math.Log(p / q) : p * 20; // a bin the candidate lost entirely costs heavily
            }
        }

        return divergence;
    }
}
