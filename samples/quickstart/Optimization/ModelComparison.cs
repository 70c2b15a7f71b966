using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Quickstart.Optimization;

/// <summary>
/// Measures several models side by side in this run: latency interleaved run by run (A, B, C, A, B, C, ...) after
/// warm-ups so every model sees the same machine load, and accuracy on the same held-out samples through the SDK.
/// One intra-op thread, as the device agent runs its model.
/// </summary>
internal static class ModelComparison
{
    private const int WarmupRuns = 30;

    public static IReadOnlyList<ModelFigures> Measure(
        IReadOnlyList<(string Label, string Path)> models,
        string referencePath,
        DatasetSpec evaluation,
        PreprocessSpec? preprocess,
        int latencyRuns,
        CancellationToken cancellationToken)
    {
        var latency = MeasureLatency(models.Select(m => m.Path).ToList(), latencyRuns, cancellationToken);
        var figures = new List<ModelFigures>();
        for (var i = 0; i < models.Count; i++)
        {
            var result = ModelEvaluator.Evaluate(models[i].Path, DatasetFactory.Open(evaluation), preprocess, referencePath, SessionOptions, null, cancellationToken);
            figures.Add(new ModelFigures(
                models[i].Label,
                models[i].Path,
                new FileInfo(models[i].Path).Length,
                latency[i].P50Ms,
                latency[i].P95Ms,
                result.Top1 ?? double.NaN,
                result.Top1Agreement ?? double.NaN,
                result.Samples));
        }

        return figures;
    }

    public static EdgeSessionOptions SessionOptions() => new() { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 } };

    private static List<LatencyStats> MeasureLatency(List<string> paths, int runs, CancellationToken cancellationToken)
    {
        var probes = new List<LatencyComparison.Probe>();
        try
        {
            foreach (var path in paths)
            {
                probes.Add(LatencyComparison.Probe.Open(path, SessionOptions()));
            }

            for (var i = 0; i < WarmupRuns; i++)
            {
                probes.ForEach(p => p.RunMilliseconds());
            }

            var samples = paths.Select(_ => new List<double>(runs)).ToList();
            for (var i = 0; i < runs; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var m = 0; m < probes.Count; m++)
                {
                    samples[m].Add(probes[m].RunMilliseconds());
                }
            }

            return [.. samples.Select(LatencyStats.From)];
        }
        finally
        {
            probes.ForEach(p => p.Dispose());
        }
    }
}
