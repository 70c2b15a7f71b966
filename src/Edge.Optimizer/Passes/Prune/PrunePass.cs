using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Pipeline;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>
/// The prune pass: magnitude (unstructured), channel (structured graph surgery) or 2:4 semi-structured pruning,
/// optionally guided by per-layer sensitivity analysis. Its report holds only figures measured in the same run:
/// MACs, sizes (raw and gzip), latency of original and pruned side by side through the SDK, and accuracy before
/// any recovery when an evaluation set is given.
/// </summary>
internal sealed partial class PrunePass : IOptimizationPass<PruneOptions>
{
    public PassDescriptor Descriptor { get; } = new(
        "prune",
        "Remove weights: magnitude (size only), structured channels by graph surgery (smaller dense model), or 2:4 for sparse tensor cores.",
        NeedsData: false,
        ["fp32", "fp16"],
        ["cpu", "cuda", "tensorrt"]);

    public IReadOnlyList<string> Validate(PruneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate();
    }

    public async Task<PassResult> RunAsync(OnnxModel input, PruneOptions options, PassContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        var excluded = CheckExcludedNodes(input, options.ExcludeNodes);
        using var scratch = new ScratchDirectory("prune");
        var run = new PruneRun(input, options, context, scratch, excluded, context.InputPath ?? await scratch.WriteAsync(input, "original", cancellationToken));
        if (options.EvalDataset is not null || options.CalibrationDataset is not null)
        {
            run.Dataset = options.EvalDataset is null ? null : DatasetFactory.Open(options.EvalDataset);
            run.Preprocess = options.PreprocessPath is null ? null : await PreprocessSpec.FromFileAsync(options.PreprocessPath, cancellationToken);
        }

        var report = new JsonObject
        {
            ["method"] = PruneOptions.MethodName(options.Method),
            ["options"] = options.ToJson(),
        };
        var output = options.Method switch
        {
            PruneMethod.Channel => PruneChannels(run, report, cancellationToken),
            _ => PruneWeights(run, report, cancellationToken),
        };

        var issues = output.Validate();
        if (issues.Count > 0)
        {
            throw new InvalidOperationException($"The pruned model failed validation: {issues[0].Message}.");
        }

        report["macs"] = MacsJson(input, output, cancellationToken);
        report["size"] = await PruneMeasurements.SizesAsync(input, output, cancellationToken);
        report["size"]!["note"] = options.Method == PruneMethod.Channel
            ? "Channels are removed, so the dense model itself is smaller."
            : "Zeros only pay off in size: the tensor keeps its shape, so the raw file is as large and dense kernels do the same work; the gain shows once the file is compressed.";
        var prunedPath = await scratch.WriteAsync(output, "pruned", cancellationToken);
        var comparison = new StepComparison();
        if (options.MeasureLatency)
        {
            context.Log.WriteLine($"measuring latency of the original and pruned models side by side ({options.Threads} threads)");
            (report["latency"], var originalLatency, var prunedLatency) = PruneMeasurements.Latency(run.OriginalPath, prunedPath, options.Threads, options.LatencyRuns, cancellationToken);
            comparison = comparison with { LatencyBefore = originalLatency, LatencyAfter = prunedLatency };
        }

        if (run.Dataset is not null)
        {
            context.Log.WriteLine($"evaluating on {run.Dataset.Spec}");
            var before = PruneMeasurements.Evaluate(run.OriginalPath, run.Dataset, run.Preprocess, null, options.Threads, cancellationToken);
            var after = PruneMeasurements.Evaluate(prunedPath, run.Dataset, run.Preprocess, run.OriginalPath, options.Threads, cancellationToken);
            report["accuracy"] = PruneMeasurements.Accuracy(run.Dataset, before, after);
            comparison = comparison with { Top1Before = before.Top1, Top1After = after.Top1, Agreement = after.Top1Agreement };
        }

        report["warnings"] = new JsonArray([.. run.Warnings.Select(w => (JsonNode)w)]);
        return new PassResult(output, report, run.Warnings) { Comparison = comparison };
    }

    private static HashSet<string> CheckExcludedNodes(OnnxModel model, IReadOnlyList<string> names)
    {
        var known = model.Proto.Graph.Node.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !known.Contains(n)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"--exclude-nodes names {missing.Count} node(s) the model does not have: {string.Join(", ", missing)}.");
        }

        return names.ToHashSet(StringComparer.Ordinal);
    }

    private static JsonObject MacsJson(OnnxModel original, OnnxModel pruned, CancellationToken cancellationToken)
    {
        var before = PruneMeasurements.Macs(original, cancellationToken);
        var after = PruneMeasurements.Macs(pruned, cancellationToken);
        return new JsonObject
        {
            ["original"] = before,
            ["pruned"] = after,
            ["ratio"] = before is > 0 && after is { } a ? (double)a / before.Value : null,
        };
    }

    /// <summary>Evaluates a candidate model (sensitivity analysis) and returns its accuracy score in percent.</summary>
    private static double Score(PruneRun run, OnnxModel candidate, CancellationToken cancellationToken)
    {
        var path = run.Scratch.WriteAsync(candidate, "candidate", cancellationToken).GetAwaiter().GetResult();
        try
        {
            var result = PruneMeasurements.Evaluate(path, run.Dataset!, run.Preprocess, run.OriginalPath, run.Options.Threads, cancellationToken);
            return PruneMeasurements.Score(result);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>What one run of the pass carries between its steps.</summary>
    private sealed class PruneRun(OnnxModel input, PruneOptions options, PassContext context, ScratchDirectory scratch, IReadOnlySet<string> excluded, string originalPath)
    {
        public OnnxModel Input { get; } = input;

        public PruneOptions Options { get; } = options;

        public PassContext Context { get; } = context;

        public ScratchDirectory Scratch { get; } = scratch;

        public IReadOnlySet<string> Excluded { get; } = excluded;

        public string OriginalPath { get; } = originalPath;

        public IDataset? Dataset { get; set; }

        public PreprocessSpec? Preprocess { get; set; }

        public List<string> Warnings { get; } = [];
    }
}
