using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Pipeline.Measurement;

/// <summary>
/// The measurement step shared by every recipe: the original and each step's model, side by side in one process.
/// Latency runs are interleaved across all models (original, step 1, step 2, …, again) after every model's warm-ups,
/// so each sees the same machine load; accuracy and agreement are measured on the same samples against the original.
/// </summary>
internal static class RunMeasurer
{
    public static async Task<IReadOnlyList<ModelFigures>> MeasureAsync(
        MeasureOptions options,
        IReadOnlyList<(string Label, string Path)> models,
        PassContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (models.Count == 0)
        {
            throw new ArgumentException("Nothing to measure: the list of models is empty.", nameof(models));
        }

        var figures = models.Select(m => new ModelFigures(m.Label, m.Path, ModelFigures.FileBytes(m.Path)) { Source = "measured against the original" }).ToArray();
        var sessionOptions = CpuSessionOptions.For(options.Threads);
        if (options.LatencyRuns > 0)
        {
            context.Log.WriteLine($"measuring latency of {models.Count} model(s) side by side ({options.LatencyRuns} interleaved runs each, {options.Threads} threads)");
            var paths = models.Select(m => m.Path).ToList();
            var latencies = context.Track("measuring latency", options.LatencyRuns, p =>
                LatencyComparison.MeasureInterleaved(paths, sessionOptions, options.WarmupRuns, options.LatencyRuns, p, cancellationToken));
            for (var i = 0; i < figures.Length; i++)
            {
                figures[i] = figures[i] with { Latency = latencies[i] };
            }
        }

        if (options.Eval is not null)
        {
            var dataset = DatasetFactory.Open(options.Eval);
            var preprocess = options.Preprocess is null ? null : await PreprocessSpec.FromFileAsync(options.Preprocess, cancellationToken);
            var original = models[0].Path;
            for (var i = 0; i < figures.Length; i++)
            {
                var reference = i == 0 ? null : original;
                var result = context.Track($"evaluating {figures[i].Label}", dataset.Count, p =>
                    ModelEvaluator.Evaluate(figures[i].Path, dataset, preprocess, reference, sessionOptions, p, cancellationToken));
                figures[i] = figures[i] with { Top1 = result.Top1, Agreement = result.Top1Agreement };
            }
        }

        return figures;
    }
}
