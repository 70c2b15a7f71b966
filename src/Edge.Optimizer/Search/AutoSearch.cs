using System.Globalization;
using Edge.Fleet.Bench;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Pipeline.Measurement;
using Edge.Optimizer.Search.Device;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Search;

/// <summary>
/// Finds the fastest model that keeps accuracy within the allowed drop, measured on the target, and never one slower
/// than the original: every candidate is built through the pipeline, judged for accuracy on samples that did not
/// calibrate it (inaccurate ones are dropped before any latency run), then the original and every accurate candidate
/// are timed side by side, interleaved run by run. The fastest accurate candidate wins only when it beats the original
/// by more than <see cref="AutoOptions.SpeedMargin"/>; otherwise the answer is the original.
/// </summary>
internal sealed class AutoSearch(PipelineRunner runner, TimeProvider time)
{
    public async Task<AutoResult> RunAsync(AutoOptions options, PassContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetTimestamp();
        var original = await OnnxModel.LoadAsync(options.ModelPath, cancellationToken: cancellationToken);
        var (calibration, judging) = Split(options);
        var preprocess = options.Preprocess is null ? null : await PreprocessSpec.FromFileAsync(options.Preprocess, cancellationToken);
        var judge = DatasetFactory.Open(judging);
        if (judge.Count == 0)
        {
            throw new ArgumentException($"No samples are left to judge accuracy: --eval '{options.Eval}' has {options.CalibrationSamples} or fewer samples and the first {options.CalibrationSamples} calibrate; give a larger --eval or a separate --calibration.");
        }

        var sessions = CpuSessionOptions.For(options.Threads);
        var task = OutputTaskDetector.Detect(original);
        var folder = Directory.CreateDirectory(Path.GetFullPath(options.OutputPath) + ".candidates").FullName;
        context.Log.WriteLine($"judging {Judged(task)} on {judge.Count} samples of {judging}; calibrating on {calibration}");
        var baseline = task is OutputTask.Yolox or OutputTask.UltraFace
            ? new EvaluationResult { Samples = judge.Count, Duration = TimeSpan.Zero }
            : context.Track("evaluating fp32", judge.Count, p => ModelEvaluator.Evaluate(options.ModelPath, judge, preprocess, null, sessions, p, cancellationToken));
        var prune = options.AllowPrune ? new PruneSettings(Path.GetFullPath(options.ModelPath), options.TrainData!, options.DistillEpochs, options.Preprocess, options.Threads, DatasetFactory.Open(DatasetSpec.Parse(options.TrainData!)).HasLabels) : null;
        var target = TargetSpec.TryParse(options.Target, out _) ?? TargetSpec.Local;
        string? unreachable = null;
        bool hasGpu;
        try
        {
            hasGpu = target.Kind == TargetKind.Local ? TargetHasGpu() : await new DeviceLatency(options.Device!, target, time).AnyGpuAsync(cancellationToken);
        }
        catch (DeviceBenchUnavailableException e)
        {
            // Accuracy needs no device; latency falls back to this machine below, and the report says why.
            hasGpu = false;
            unreachable = e.Message;
            context.Log.WriteLine($"warning: {target} cannot be reached ({e.Message}); candidates are judged here and timed here");
        }

        var (candidates, skipped) = CandidateSpace.Build(original, options.Candidates, calibration.ToString(), options.Preprocess, options.Threads, hasGpu, prune);

        var outcomes = new List<CandidateOutcome>
        {
            new(candidates[0], CandidateStatus.Measured) { Path = options.ModelPath, Bytes = ModelFigures.FileBytes(options.ModelPath), Top1 = baseline.Top1, Agreement = 1, DropPoints = 0 },
        };
        var queue = new Queue<Candidate>(candidates.Skip(1));
        var recoveryQueued = false;
        while (queue.TryDequeue(out var candidate))
        {
            if (options.BudgetMinutes is { } budget && time.GetElapsedTime(started).TotalMinutes > budget)
            {
                outcomes.Add(new CandidateOutcome(candidate, CandidateStatus.OverBudget) { Reason = string.Create(CultureInfo.InvariantCulture, $"the {budget} minute budget was spent") });
                continue;
            }

            var outcome = await TryAsync(candidate, options, task, folder, judge, preprocess, baseline, context, cancellationToken);
            outcomes.Add(outcome);
            context.Log.WriteLine($"{candidate.Name}: {Describe(outcome)}");

            // After the last static candidate: if every static one missed the target, try the most accurate of them again
            // with the layers that cost accuracy kept float.
            if (!recoveryQueued && queue.All(c => !c.Name.StartsWith("static-", StringComparison.Ordinal)) && (options.Candidates.Count == 0 || options.Candidates.Contains(CandidateSpace.Recovered)))
            {
                var statics = outcomes.Where(o => o.Candidate.Name.StartsWith("static-", StringComparison.Ordinal)).ToList();
                if (statics.Count > 0 && statics.All(o => o.Status != CandidateStatus.Measured) && statics.Where(o => o.DropPoints is not null).MinBy(o => o.DropPoints) is { } closest)
                {
                    queue.Enqueue(CandidateSpace.Recover(closest.Candidate, calibration.ToString(), options.MaxAccuracyDrop));
                }

                recoveryQueued = true;
            }
        }

        outcomes.AddRange(skipped.Select(s => new CandidateOutcome(s.Candidate, CandidateStatus.Skipped) { Reason = s.Reason }));
        var source = "this machine";
        var notes = new List<string>();
        if (target.Kind != TargetKind.Local && unreachable is not null)
        {
            notes.Add($"{target} could not be reached ({unreachable}), so latency was measured on this machine instead");
            outcomes = MeasureLatency(outcomes, options, context, cancellationToken);
            source = $"this machine (fallback: {target} could not be reached)";
        }
        else if (target.Kind != TargetKind.Local)
        {
            var sample = judge.Read(cancellationToken).First();
            var (onDevices, deviceNotes) = await new DeviceTargets(options, target, time).MeasureAsync(outcomes, sample, preprocess, folder, context, cancellationToken);
            notes.AddRange(deviceNotes);
            if (onDevices is null)
            {
                notes.Add("no device measured the original, so latency was measured on this machine instead");
                outcomes = MeasureLatency(outcomes, options, context, cancellationToken);
                source = $"this machine (fallback: {target} gave no figures)";
            }
            else
            {
                outcomes = onDevices;
                source = target.ToString();
            }
        }
        else
        {
            outcomes = MeasureLatency(outcomes, options, context, cancellationToken);
        }

        foreach (var note in notes)
        {
            context.Log.WriteLine($"warning: {note}");
        }

        var (chosen, why) = Choose(outcomes, options);
        return new AutoResult(options, outcomes, chosen, why, calibration.ToString(), judging.ToString(), time.GetElapsedTime(started).TotalSeconds)
        {
            Judged = Judged(task),
            LatencySource = source,
            Notes = notes,
        };
    }

    /// <summary>The calibration samples and the judging samples: the given calibration set and the whole eval set, or the eval set cut in two.</summary>
    public static (DatasetSpec Calibration, DatasetSpec Judging) Split(AutoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var eval = DatasetSpec.Parse(options.Eval);
        if (options.Calibration is not null)
        {
            return (DatasetSpec.Parse(options.Calibration), eval);
        }

        var start = eval.From ?? 0;
        var count = DatasetFactory.Open(eval).Count;
        var cut = Math.Min(options.CalibrationSamples, count);
        return (eval with { From = start, To = start + cut }, eval with { From = start + cut, To = start + count });
    }

    private async Task<CandidateOutcome> TryAsync(Candidate candidate, AutoOptions options, OutputTask task, string folder, IDataset judge, PreprocessSpec? preprocess, EvaluationResult baseline, PassContext context, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var path = Path.Combine(folder, candidate.Name + ".onnx");
        try
        {
            var recipe = new Recipe { Input = Path.GetFullPath(options.ModelPath), Output = path, Steps = candidate.Steps };
            await runner.RunAsync(recipe, new PipelineRunOptions { Log = TextWriter.Null, TimeProvider = context.TimeProvider }, cancellationToken);
            var result = task is OutputTask.Yolox or OutputTask.UltraFace
                ? new EvaluationResult
                {
                    Samples = judge.Count,
                    Duration = TimeSpan.Zero,
                    Top1Agreement = context.Track($"matching boxes of {candidate.Name}", judge.Count, p =>
                        DetectionAgreement.Measure(path, options.ModelPath, task, judge, preprocess, CpuSessionOptions.For(options.Threads), p, cancellationToken)),
                }
                : context.Track($"evaluating {candidate.Name}", judge.Count, p =>
                    ModelEvaluator.Evaluate(path, judge, preprocess, options.ModelPath, CpuSessionOptions.For(options.Threads), p, cancellationToken));
            // Rounded before it is judged: 100 * (0.988 - 0.978) is 1.0000000000000009, which must not fail a 1-point budget.
            var drop = Math.Round(baseline.Top1 is { } before && result.Top1 is { } after ? 100 * (before - after) : 100 * (1 - (result.Top1Agreement ?? 0)), 6);
            var agreement = result.Top1Agreement ?? 0;
            var status = drop <= options.MaxAccuracyDrop && agreement >= options.MinAgreement ? CandidateStatus.Measured : CandidateStatus.TooInaccurate;
            var reason = drop > options.MaxAccuracyDrop
                ? string.Create(CultureInfo.InvariantCulture, $"loses {drop:0.##} points, more than the {options.MaxAccuracyDrop} allowed")
                : string.Create(CultureInfo.InvariantCulture, $"agrees with the original on {agreement:P1} of samples, less than the {options.MinAgreement:P0} required");
            return new CandidateOutcome(candidate, status)
            {
                Path = path,
                Bytes = ModelFigures.FileBytes(path),
                Top1 = result.Top1,
                Agreement = result.Top1Agreement,
                DropPoints = Math.Round(drop, 3),
                Reason = status == CandidateStatus.TooInaccurate ? reason : null,
                Seconds = time.GetElapsedTime(started).TotalSeconds,
            };
        }
        catch (Exception exception) when (exception is OnnxModelException or OnnxRuntimeException or InvalidDataException or ArgumentException or FormatException or IOException or InvalidOperationException or Edge.Sdk.EdgeException)
        {
            // One candidate that cannot be built or run must not end the search: the others, and the original, still stand.
            return new CandidateOutcome(candidate, CandidateStatus.Failed) { Reason = exception.Message.ReplaceLineEndings(" "), Seconds = time.GetElapsedTime(started).TotalSeconds };
        }
    }

    private static List<CandidateOutcome> MeasureLatency(List<CandidateOutcome> outcomes, AutoOptions options, PassContext context, CancellationToken cancellationToken)
    {
        // A candidate that loads for evaluation but cannot be timed (for example a kernel ONNX Runtime refuses at this
        // thread count) is marked failed here, so it cannot take the original's measurement down with it.
        var sessions = CpuSessionOptions.For(options.Threads);
        outcomes = [.. outcomes.Select((o, i) => i > 0 && o.Status == CandidateStatus.Measured && Probe(o.Path!, sessions) is { } problem
            ? o with { Status = CandidateStatus.Failed, Reason = $"cannot be timed: {problem}" }
            : o)];
        var measured = outcomes.Where(o => o.Status == CandidateStatus.Measured).ToList();
        context.Log.WriteLine($"measuring latency of {measured.Count} model(s) side by side ({options.LatencyRuns} interleaved runs each, {options.Threads} threads)");
        var latencies = context.Track("measuring latency", options.LatencyRuns, p => LatencyComparison.MeasureInterleaved(
            [.. measured.Select(o => o.Path!)], sessions, options.WarmupRuns, options.LatencyRuns, p, cancellationToken));
        var originalP50 = latencies[0].P50Ms;
        return [.. outcomes.Select(o => measured.IndexOf(o) is var i and >= 0 ? o with { Latency = latencies[i], P50Ratio = Math.Round(latencies[i].P50Ms / originalP50, 4) } : o)];
    }

    /// <summary>Loads the model and runs it once on synthetic inputs; the problem, or null when it runs.</summary>
    private static string? Probe(string path, Func<Edge.Sdk.Inference.EdgeSessionOptions> sessions)
    {
        try
        {
            using var probe = LatencyComparison.Probe.Open(path, sessions());
            probe.RunMilliseconds();
            return null;
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or InvalidDataException or Edge.Sdk.EdgeException)
        {
            return exception.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary>The fastest accurate candidate when it beats the original by more than the margin; otherwise the original.</summary>
    public static (CandidateOutcome Chosen, string Why) Choose(IReadOnlyList<CandidateOutcome> outcomes, AutoOptions options)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(options);
        var c = CultureInfo.InvariantCulture;
        var original = outcomes[0];
        var fastest = outcomes.Skip(1).Where(o => o.Status == CandidateStatus.Measured && o.P50Ratio is not null).MinBy(o => o.P50Ratio);
        if (fastest is null)
        {
            var tried = outcomes.Count(o => o.Status is CandidateStatus.TooInaccurate or CandidateStatus.Failed);
            var late = outcomes.Count(o => o.Status == CandidateStatus.OverBudget);
            return (original, tried == 0 && late > 0
                ? $"The {options.BudgetMinutes?.ToString(c)} minute budget was spent before any candidate was built ({late} not tried), so the answer is the original model."
                : tried == 0
                ? "No other candidate was asked for or fits this model and target, so the answer is the original model."
                : $"No candidate kept accuracy within {options.MaxAccuracyDrop.ToString(c)} points ({tried} tried{(late > 0 ? $", {late} not tried within the budget" : "")}), so the answer is the original model.");
        }

        if (fastest.P50Ratio >= 1 - options.SpeedMargin)
        {
            var how = fastest.P50Ratio >= 1
                ? $"is slower than the original on this target ({fastest.P50Ratio:0.###}x its p50: {fastest.P50Ms:0.###} against {original.P50Ms:0.###} ms)"
                : $"is within the {options.SpeedMargin:P0} noise margin of the original ({fastest.P50Ratio:0.###}x its p50: {fastest.P50Ms:0.###} against {original.P50Ms:0.###} ms)";
            return (original, string.Create(c, $"The fastest accurate candidate, {fastest.Candidate.Name}, {how}, so the answer is the original model."));
        }

        return (fastest, string.Create(c, $"{fastest.Candidate.Name} is the fastest candidate within {options.MaxAccuracyDrop} points: p50 {fastest.P50Ms:0.###} against {original.P50Ms:0.###} ms ({fastest.P50Ratio:0.###}x, measured side by side), losing {fastest.DropPoints:0.##} points."));
    }

    private static string Judged(OutputTask task) => task switch
    {
        OutputTask.Classification => "top-1 (with labels) and top-1 agreement with the original",
        OutputTask.Yolox or OutputTask.UltraFace => $"box agreement with the original ({task} decoder, F1 of same-class matches at IoU {DetectionAgreement.MatchIou})",
        _ => "agreement of the first output's largest element with the original",
    };

    private static string Describe(CandidateOutcome outcome) => outcome.Status switch
    {
        CandidateStatus.Measured => string.Create(CultureInfo.InvariantCulture, $"accurate enough (drop {outcome.DropPoints:0.##} points)"),
        _ => $"{outcome.Status.ToString().ToLowerInvariant()}: {outcome.Reason}",
    };

    private static bool TargetHasGpu() =>
        OrtEnv.Instance().GetAvailableProviders().Any(p => p is "CUDAExecutionProvider" or "TensorrtExecutionProvider");
}
