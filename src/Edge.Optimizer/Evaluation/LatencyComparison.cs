using System.Diagnostics;
using Edge.Sdk.Inference;

namespace Edge.Optimizer.Evaluation;

/// <summary>
/// Measures the latency of one model, or of two models side by side, through the SDK with synthetic inputs. Two
/// models are interleaved run by run (A, B, A, B, …) after their warm-ups, so both see the same machine load: on a
/// shared machine only such ratios are comparable between runs.
/// </summary>
public static class LatencyComparison
{
    /// <returns>
    /// The statistics of <paramref name="modelA"/> and, when given, of <paramref name="modelB"/>, with how much the p50
    /// ratio A/B moved within the run (null without B, or with too few runs).
    /// </returns>
    public static (LatencyStats A, LatencyStats? B, RatioSpread? Spread) Measure(
        string modelA,
        string? modelB,
        Func<EdgeSessionOptions> sessionOptions,
        int warmupRuns,
        int runs,
        CancellationToken cancellationToken)
    {
        var stats = MeasureInterleaved(modelB is null ? [modelA] : [modelA, modelB], sessionOptions, warmupRuns, runs, progress: null, cancellationToken);
        return stats.Count == 1
            ? (stats[0], null, null)
            : (stats[0], stats[1], RatioSpread.From(stats[0].SamplesMs, stats[1].SamplesMs));
    }

    /// <summary>
    /// Latency of several models side by side: the warm-ups and then the measured runs interleaved (model 1, model 2,
    /// …, again), so each sees the same machine load. Returns one result per path, in order, with its samples.
    /// </summary>
    public static IReadOnlyList<LatencyStats> MeasureInterleaved(
        IReadOnlyList<string> modelPaths,
        Func<EdgeSessionOptions> sessionOptions,
        int warmupRuns,
        int runs,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelPaths);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var probes = new List<Probe>(modelPaths.Count);
        try
        {
            foreach (var path in modelPaths)
            {
                probes.Add(Probe.Open(path, sessionOptions()));
            }

            for (var i = 0; i < warmupRuns; i++)
            {
                probes.ForEach(p => p.RunMilliseconds());
            }

            var samples = modelPaths.Select(_ => new List<double>(runs)).ToArray();
            for (var run = 0; run < runs; run++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var m = 0; m < probes.Count; m++)
                {
                    samples[m].Add(probes[m].RunMilliseconds());
                }

                progress?.Report(run + 1);
            }

            return [.. samples.Select(LatencyStats.From)];
        }
        finally
        {
            probes.ForEach(p => p.Dispose());
        }
    }

    /// <summary>A session with a request bound once to synthetic inputs; each run reuses the same buffers.</summary>
    public sealed class Probe : IDisposable
    {
        private readonly EdgeSession _session;
        private readonly InferenceRequest _request;

        private Probe(EdgeSession session)
        {
            _session = session;
            _request = session.CreateRequest();
            RequestIo.Bind(_request, SyntheticInputs.Create(session.Inputs));
        }

        public EdgeSession Session => _session;

        public static Probe Open(string modelPath, EdgeSessionOptions options)
        {
            var session = EdgeSession.Load(modelPath, options);
            try
            {
                return new Probe(session);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        public double RunMilliseconds()
        {
            var started = Stopwatch.GetTimestamp();
            _request.Run();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        public void Dispose()
        {
            _request.Dispose();
            _session.Dispose();
        }
    }
}
