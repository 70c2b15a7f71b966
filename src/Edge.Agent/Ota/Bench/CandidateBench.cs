using System.Diagnostics;
using Edge.Agent.Ota.Health;
using Edge.Agent.Ota.Jobs;
using Edge.Protocol;
using Edge.Sdk;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Bench;

/// <summary>
/// Times a candidate model beside the served one with the device's own session settings: both load in sessions of
/// their own (the app's session is never touched), on a thread whose priority is lowered first, so their ONNX
/// Runtime threads inherit it. After warm-ups, each round runs both once on the candidate's first golden input (the
/// served model on its own golden input when its inputs differ), alternating which goes first, until the wanted runs
/// or the time bound. Runs are unmeasured, so the live metrics only ever see the app's calls.
/// </summary>
internal static class CandidateBench
{
    /// <summary>Runs the bench on a dedicated thread and returns its figures.</summary>
    /// <exception cref="OtaJobException">The candidate does not load, its input does not bind or a run fails.</exception>
    public static Task<BenchMeasurement> RunAsync(OtaOptions options, BenchModel candidate, BenchModel? serving, OtaBenchRequest request, TimeProvider time)
    {
        var done = new TaskCompletionSource<BenchMeasurement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(Run(options, candidate, serving, request, time));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "edge-ota-bench",
        };
        thread.Start();
        return done.Task;
    }

    private static BenchMeasurement Run(OtaOptions options, BenchModel candidate, BenchModel? serving, OtaBenchRequest request, TimeProvider time)
    {
        var nice = BenchPriority.LowerCurrentThread();
        // The served model's bench session loads first, so the memory sampled from here on is the candidate's.
        using var servingSession = serving is null ? null : Load(options, serving, "the served model");
        var memory = ResidentMemory.Start();
        using var candidateSession = Load(options, candidate, "the candidate");
        memory.Sample();
        using var candidateRequest = Bind(candidateSession, candidate.Samples[0], "the candidate");
        using var servingRequest = servingSession is null ? null : BindServing(servingSession, candidate, serving!);

        for (var i = 0; i < request.WarmupRuns; i++)
        {
            Run(candidateRequest, "the candidate");
            if (servingRequest is not null)
            {
                Run(servingRequest, "the served model");
            }
        }

        memory.Sample();
        var candidateMs = new List<double>(request.Runs);
        var servingMs = new List<double>(request.Runs);
        var started = time.GetTimestamp();
        var truncated = false;
        for (var round = 0; round < request.Runs; round++)
        {
            if (round >= OtaBenchRequest.MinRuns && time.GetElapsedTime(started).TotalSeconds > request.MaxSeconds)
            {
                truncated = true;
                break;
            }

            if (servingRequest is null || round % 2 == 0)
            {
                candidateMs.Add(Time(candidateRequest, "the candidate"));
                if (servingRequest is not null)
                {
                    servingMs.Add(Time(servingRequest, "the served model"));
                }
            }
            else
            {
                servingMs.Add(Time(servingRequest, "the served model"));
                candidateMs.Add(Time(candidateRequest, "the candidate"));
            }

            if (round % 16 == 0)
            {
                memory.Sample();
            }
        }

        memory.Sample();
        return new BenchMeasurement(
            Figures(candidate, candidateMs),
            serving is null ? null : Figures(serving, servingMs),
            candidateSession.Provider.ToString().ToLowerInvariant(),
            memory.PeakGrowthBytes,
            nice,
            truncated);
    }

    private static EdgeSession Load(OtaOptions options, BenchModel model, string what)
    {
        try
        {
            return EdgeSession.Load(model.ModelPath, OtaSessionOptions.Create(options, model.Name + ".bench", model.Version, model.EngineCacheDirectory));
        }
        catch (EdgeException e)
        {
            throw OtaJobException.Fail($"bench: {what} does not load on {options.Provider}: {e.Message}");
        }
    }

    private static InferenceRequest Bind(EdgeSession session, GoldenSample sample, string what)
    {
        try
        {
            return GoldenRunner.Bind(session, sample);
        }
        catch (EdgeException e)
        {
            throw OtaJobException.Fail($"bench: {what} does not take golden sample '{sample.Spec.Name}': {e.Message}");
        }
    }

    private static InferenceRequest BindServing(EdgeSession session, BenchModel candidate, BenchModel serving)
    {
        try
        {
            return GoldenRunner.Bind(session, candidate.Samples[0]);
        }
        catch (EdgeException) when (serving.Samples.Count > 0)
        {
            // A served model with another signature (input count, shape or type) is timed on its own golden input.
            return Bind(session, serving.Samples[0], "the served model");
        }
        catch (EdgeException e)
        {
            throw OtaJobException.Fail($"bench: the served model does not take the candidate's input and has no golden sample of its own: {e.Message}");
        }
    }

    private static void Run(InferenceRequest request, string what)
    {
        try
        {
            request.RunUnmeasured();
        }
        catch (EdgeException e)
        {
            throw OtaJobException.Fail($"bench: {what} fails to run: {e.Message}");
        }
    }

    private static double Time(InferenceRequest request, string what)
    {
        var start = Stopwatch.GetTimestamp();
        Run(request, what);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static OtaLatencyFigures Figures(BenchModel model, List<double> runs)
    {
        var sorted = runs.Order().ToArray();
        return new OtaLatencyFigures
        {
            Model = new ModelFact(model.Name, model.Version),
            Runs = sorted.Length,
            P50Ms = Math.Round(LatencyComparison.NearestRank(sorted, 0.50), 4),
            P95Ms = Math.Round(LatencyComparison.NearestRank(sorted, 0.95), 4),
            MeanMs = Math.Round(sorted.Average(), 4),
        };
    }
}
