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

        var threshold = method == CalibrationMethod.Percentile
            ? PercentileThreshold(statistics, percentile)
            : EntropyThreshold(statistics);
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
