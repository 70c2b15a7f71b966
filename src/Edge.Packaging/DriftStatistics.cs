namespace Edge.Packaging;

/// <summary>
/// The statistics and distances behind a package's <see cref="PackageDriftReference"/>, shared by the tool that
/// computes the reference (edge-optimize) and the device that compares its live window with it (edge-agent), so both
/// sides compute exactly the same figures. Formulas and limits are documented in docs/agent.md, "Drift". Pure and
/// thread-safe.
/// </summary>
public static class DriftStatistics
{
    /// <summary>Task name: one axis of class scores; the confidence is the top-1 probability.</summary>
    public const string Classification = "classification";

    /// <summary>Task name: a YOLOX detection head; the confidence is the highest box score of the sample.</summary>
    public const string Detection = "detection";

    /// <summary>Task name: any other output; no confidence histogram.</summary>
    public const string Raw = "raw";

    /// <summary>Largest channel count taken from axis 1; a larger axis 1 makes the whole tensor one channel.</summary>
    public const int MaxChannels = 1024;

    /// <summary>Number of equal confidence bins on [0, 1]: bin <c>k</c> holds <c>[k/10, (k+1)/10)</c>, the last also 1.</summary>
    public const int ConfidenceBins = 10;

    /// <summary>How far from 1 a histogram's fractions may sum.</summary>
    public const double HistogramTolerance = 1e-6;

    /// <summary>Smallest variance used in <see cref="GaussianKl"/>, so a constant channel gives a finite distance.</summary>
    public const double VarianceFloor = 1e-6;

    /// <summary>Fraction an empty bin counts as in <see cref="PopulationStabilityIndex"/>, so the logarithm stays finite.</summary>
    public const double PsiEpsilon = 1e-4;

    /// <summary>
    /// The channels a tensor of <paramref name="shape"/> is summarized by: its axis-1 length for rank 2 or more when
    /// that is 1 to <see cref="MaxChannels"/>, otherwise 1 (the whole tensor).
    /// </summary>
    public static int ChannelCount(ReadOnlySpan<long> shape) =>
        shape.Length >= 2 && shape[1] is >= 1 and <= MaxChannels ? (int)shape[1] : 1;

    /// <summary>
    /// Adds each channel's sum and sum of squares of <paramref name="values"/> (row-major, <paramref name="shape"/>)
    /// to <paramref name="sums"/> and <paramref name="squares"/>, whose length is the channel count
    /// (<see cref="ChannelCount"/>, or 1 for the whole tensor).
    /// </summary>
    /// <returns>The number of values added to each channel.</returns>
    /// <exception cref="ArgumentException">The shape does not hold <paramref name="values"/>, or the channel count does not fit it.</exception>
    public static long AddChannelMoments(ReadOnlySpan<float> values, ReadOnlySpan<long> shape, Span<double> sums, Span<double> squares)
    {
        var elements = 1L;
        foreach (var dimension in shape)
        {
            elements = dimension < 0 ? -1 : checked(elements * dimension);
            if (elements < 0)
            {
                break;
            }
        }

        if (elements != values.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {elements} values, but {values.Length} were given.", nameof(shape));
        }

        var channels = sums.Length;
        if (channels < 1 || squares.Length != channels || (channels > 1 && (shape.Length < 2 || shape[1] != channels)))
        {
            throw new ArgumentException($"Expected 1 channel or axis 1 of shape [{string.Join(", ", shape.ToArray())}], got {channels} sums and {squares.Length} squares.", nameof(sums));
        }

        var batch = channels == 1 ? 1 : (int)shape[0];
        var plane = channels == 1 ? values.Length : values.Length / (batch * channels);
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                double sum = 0, square = 0;
                foreach (var value in values.Slice(((n * channels) + c) * plane, plane))
                {
                    sum += value;
                    square += (double)value * value;
                }

                sums[c] += sum;
                squares[c] += square;
            }
        }

        return (long)batch * plane;
    }

    /// <summary>The population variance from a sum, a sum of squares and a count (0 for no values; never negative).</summary>
    public static double Variance(double sum, double squares, long count) =>
        count <= 0 ? 0 : Math.Max(0, (squares / count) - ((sum / count) * (sum / count)));

    /// <summary>
    /// Kullback-Leibler divergence, in nats, of the window's Gaussian N(<paramref name="windowMean"/>,
    /// <paramref name="windowVariance"/>) from the reference's N(<paramref name="referenceMean"/>,
    /// <paramref name="referenceVariance"/>): <c>ln(σr/σw) + (σw² + (μw − μr)²) / (2σr²) − 1/2</c>, each variance
    /// raised to at least <see cref="VarianceFloor"/>. 0 for identical moments; a mean shift of <c>k</c> reference
    /// standard deviations at equal variance gives <c>k²/2</c>.
    /// </summary>
    public static double GaussianKl(double windowMean, double windowVariance, double referenceMean, double referenceVariance)
    {
        var window = Math.Max(windowVariance, VarianceFloor);
        var reference = Math.Max(referenceVariance, VarianceFloor);
        var shift = windowMean - referenceMean;
        return Math.Max(0, (0.5 * Math.Log(reference / window)) + ((window + (shift * shift)) / (2 * reference)) - 0.5);
    }

    /// <summary>The confidence bin of <paramref name="confidence"/> (clamped to [0, 1]); -1 for NaN.</summary>
    public static int ConfidenceBin(double confidence) =>
        double.IsNaN(confidence) ? -1 : Math.Min(ConfidenceBins - 1, (int)Math.Floor(Math.Clamp(confidence, 0, 1) * ConfidenceBins));

    /// <summary>
    /// Population stability index of the window's bin fractions against the reference's:
    /// <c>Σ (w − r) · ln(w / r)</c>, each fraction raised to at least <see cref="PsiEpsilon"/>. 0 for identical
    /// histograms; by convention below 0.1 is stable, 0.1 to 0.25 a moderate shift and above 0.25 a significant one.
    /// </summary>
    /// <exception cref="ArgumentException">The two histograms have different lengths.</exception>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> window, ReadOnlySpan<double> reference)
    {
        if (window.Length != reference.Length)
        {
            throw new ArgumentException($"The window has {window.Length} bins but the reference has {reference.Length}.", nameof(window));
        }

        var psi = 0.0;
        for (var i = 0; i < window.Length; i++)
        {
            var w = Math.Max(window[i], PsiEpsilon);
            var r = Math.Max(reference[i], PsiEpsilon);
            psi += (w - r) * Math.Log(w / r);
        }

        return psi;
    }
}
