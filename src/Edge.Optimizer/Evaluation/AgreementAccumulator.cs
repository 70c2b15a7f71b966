namespace Edge.Optimizer.Evaluation;

/// <summary>
/// Compares a model's outputs with a reference model's (or stored reference) outputs: top-1 agreement of the
/// first output and the maximum and mean absolute error over every compared element.
/// </summary>
internal sealed class AgreementAccumulator
{
    private double _sumAbsoluteError;

    public int Samples { get; private set; }

    public int Top1Agreements { get; private set; }

    public long ComparedElements { get; private set; }

    public double MaxAbsoluteError { get; private set; }

    public double MeanAbsoluteError => ComparedElements == 0 ? double.NaN : _sumAbsoluteError / ComparedElements;

    public double Top1Agreement => Samples == 0 ? double.NaN : (double)Top1Agreements / Samples;

    /// <summary>Starts a sample whose first output is <paramref name="candidate"/> against <paramref name="reference"/>.</summary>
    public void AddSample(ReadOnlySpan<float> candidate, ReadOnlySpan<float> reference)
    {
        Samples++;
        if (AccuracyAccumulator.ArgMax(candidate) == AccuracyAccumulator.ArgMax(reference))
        {
            Top1Agreements++;
        }

        AddElements(candidate, reference, "output 0");
    }

    /// <summary>Adds the error of a further output of the current sample (no agreement counted).</summary>
    public void AddElements(ReadOnlySpan<float> candidate, ReadOnlySpan<float> reference, string outputName)
    {
        if (candidate.Length != reference.Length)
        {
            throw new InvalidDataException(
                $"Cannot compare {outputName}: the model gives {candidate.Length} elements but the reference gives {reference.Length}.");
        }

        for (var i = 0; i < candidate.Length; i++)
        {
            var error = Math.Abs((double)candidate[i] - reference[i]);
            if (double.IsNaN(error))
            {
                error = double.PositiveInfinity; // NaN in one output and not the other is the worst error, not a skipped one
                if (float.IsNaN(candidate[i]) && float.IsNaN(reference[i]))
                {
                    error = 0;
                }
            }

            _sumAbsoluteError += error;
            MaxAbsoluteError = Math.Max(MaxAbsoluteError, error);
        }

        ComparedElements += candidate.Length;
    }
}
