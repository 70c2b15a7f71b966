using System.Globalization;

namespace Edge.Packaging;

/// <summary>The schema checks on a manifest's <c>driftReference</c> (docs/package-format.md), part of <see cref="PackageManifestValidator"/>.</summary>
internal static class PackageDriftReferenceValidator
{
    public static void Check(List<string> errors, PackageDriftReference reference, IReadOnlyList<PackageTensorSignature> modelInputs)
    {
        if (reference.Task is not (DriftStatistics.Classification or DriftStatistics.Detection or DriftStatistics.Raw))
        {
            errors.Add($"driftReference.task is '{reference.Task}', expected '{DriftStatistics.Classification}', '{DriftStatistics.Detection}' or '{DriftStatistics.Raw}'");
        }

        if (reference.Samples < 1)
        {
            errors.Add(Text($"driftReference.samples is {reference.Samples}, expected at least 1"));
        }

        if (reference.Inputs.Count > PackageDriftReference.MaxInputs)
        {
            errors.Add(Text($"driftReference.inputs holds {reference.Inputs.Count} entries, at most {PackageDriftReference.MaxInputs} are allowed"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < reference.Inputs.Count && i < PackageDriftReference.MaxInputs; i++)
        {
            CheckInput(errors, Text($"driftReference.inputs[{i}]"), reference.Inputs[i], modelInputs, names);
        }

        CheckConfidence(errors, reference);
    }

    private static void CheckInput(List<string> errors, string field, PackageDriftInput input, IReadOnlyList<PackageTensorSignature> modelInputs, HashSet<string> names)
    {
        if (!modelInputs.Any(i => i.Name == input.Name))
        {
            errors.Add($"{field}.name '{input.Name}' is not one of the manifest's inputs ({string.Join(", ", modelInputs.Select(i => i.Name))})");
        }
        else if (!names.Add(input.Name))
        {
            errors.Add($"{field}.name '{input.Name}' is listed twice");
        }

        if (input.Means.Count is < 1 or > DriftStatistics.MaxChannels)
        {
            errors.Add(Text($"{field}.means holds {input.Means.Count} channels, expected 1 to {DriftStatistics.MaxChannels}"));
        }

        if (input.Variances.Count != input.Means.Count)
        {
            errors.Add(Text($"{field}.variances holds {input.Variances.Count} entries, expected one per mean ({input.Means.Count})"));
        }

        var badMean = FirstIndex(input.Means, m => !double.IsFinite(m));
        if (badMean >= 0)
        {
            errors.Add(Text($"{field}.means[{badMean}] is {input.Means[badMean]}, expected a finite number"));
        }

        var badVariance = FirstIndex(input.Variances, v => !(v >= 0) || double.IsInfinity(v));
        if (badVariance >= 0)
        {
            errors.Add(Text($"{field}.variances[{badVariance}] is {input.Variances[badVariance]}, expected a finite number, zero or more"));
        }
    }

    private static int FirstIndex(IReadOnlyList<double> values, Func<double, bool> bad)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (bad(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckConfidence(List<string> errors, PackageDriftReference reference)
    {
        if (reference.Confidence is not { } confidence)
        {
            if (reference.Task is DriftStatistics.Classification or DriftStatistics.Detection)
            {
                errors.Add($"driftReference.confidence is missing; a '{reference.Task}' reference needs its {DriftStatistics.ConfidenceBins}-bin confidence histogram");
            }

            return;
        }

        if (reference.Task == DriftStatistics.Raw)
        {
            errors.Add("driftReference.confidence must be absent for task 'raw' (raw outputs have no confidence)");
        }

        if (confidence.Count != DriftStatistics.ConfidenceBins)
        {
            errors.Add(Text($"driftReference.confidence holds {confidence.Count} bins, expected {DriftStatistics.ConfidenceBins}"));
        }

        if (confidence.Any(f => !(f >= 0 && f <= 1)))
        {
            errors.Add(Text($"driftReference.confidence has a fraction outside [0, 1] ({string.Join(", ", confidence)})"));
        }
        else if (Math.Abs(confidence.Sum() - 1) > DriftStatistics.HistogramTolerance)
        {
            errors.Add(Text($"driftReference.confidence sums to {confidence.Sum()}, expected 1 within {DriftStatistics.HistogramTolerance}"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
