using Edge.Optimizer.Data;

namespace Edge.Quickstart.Optimization;

/// <summary>
/// Disjoint ranges of one labelled dataset: training (calibration is its first part) from the start, then the
/// evaluation range, then the images the device app classifies. No model is judged on data it was fitted to.
/// </summary>
internal sealed record DataSplit(DatasetSpec Training, DatasetSpec Calibration, DatasetSpec Evaluation, DatasetSpec App)
{
    private const int MinimumSamples = 40;

    public static DataSplit Create(QuickstartOptions options)
    {
        var spec = DatasetSpec.Parse(options.Data);
        var whole = DatasetFactory.Open(spec with { From = null, To = null });
        if (!whole.HasLabels)
        {
            throw new InvalidDataException($"--data '{options.Data}' has no labels; the quickstart measures accuracy, so it needs a labelled dataset.");
        }

        var (start, total) = spec.Resolve(whole.Count);
        if (total < MinimumSamples)
        {
            throw new InvalidDataException($"--data '{options.Data}' holds {total} samples; the quickstart needs at least {MinimumSamples}.");
        }

        var app = Math.Min(QuickstartOptions.AppSamples, total / 10);
        var evaluation = Math.Min(options.EvaluationSamples, total / 4);
        var training = Math.Min(options.TrainingSamples, total - app - evaluation);
        var calibration = Math.Min(options.CalibrationSamples, training);
        var end = start + total;
        return new DataSplit(
            spec with { From = start, To = start + training },
            spec with { From = start, To = start + calibration },
            spec with { From = end - app - evaluation, To = end - app },
            spec with { From = end - app, To = end });
    }

    public (int From, int To) TrainingRange => Bounds(Training);

    public (int From, int To) CalibrationRange => Bounds(Calibration);

    public (int From, int To) EvaluationRange => Bounds(Evaluation);

    public (int From, int To) AppRange => Bounds(App);

    public static int Count(DatasetSpec spec) => (spec.To ?? 0) - (spec.From ?? 0);

    private static (int From, int To) Bounds(DatasetSpec spec) => (spec.From ?? 0, spec.To ?? 0);
}
