using System.CommandLine;
using System.Globalization;
using Edge.CommandLine;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize prune &lt;in.onnx&gt; -o &lt;out.onnx&gt; --method magnitude|channel|2:4 --sparsity &lt;0..1&gt;</c>:
/// parses its options into a recipe with one prune step and runs it through the pipeline (<see cref="PipelineCommand"/>).
/// </summary>
internal static class PruneCommand
{
    public static Command Build(CliContext context)
    {
        var input = new Argument<FileInfo>("model") { Description = "The .onnx model to prune." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the pruned model.", Required = true };
        var method = new Option<PruneMethod>("--method") { Description = "magnitude (zeros; pays in compressed size), channel (removes channels; pays in latency) or 2:4 (sparse tensor cores).", DefaultValueFactory = _ => PruneMethod.Magnitude, CustomParser = r => CommonOptions.ParseWith(r, PruneOptions.ParseMethod) };
        var sparsity = new Option<double?>("--sparsity") { Description = "Fraction of weights (magnitude) or channels (channel) to remove, in [0, 1). 2:4 is always 0.5." };
        var scope = new Option<PruneScope?>("--scope") { Description = "layer (each layer loses the same fraction) or global (one ranking over all layers). Default: global for magnitude, layer for channel.", CustomParser = r => CommonOptions.ParseWith<PruneScope?>(r, t => PruneOptions.ParseScope(t)) };
        var criterion = new Option<PruneCriterion>("--criterion") { Description = "Channel importance: l1, l2, bn-gamma, or activation (measured on --calibration data).", DefaultValueFactory = _ => PruneCriterion.L1, CustomParser = r => CommonOptions.ParseWith(r, PruneOptions.ParseCriterion) };
        var minChannels = new Option<int>("--min-channels") { Description = "Never leave a layer with fewer channels than this.", DefaultValueFactory = _ => 1 };
        var multiple = new Option<int>("--channel-multiple") { Description = "Round kept channel counts to a multiple of this (CPU kernels block channels by 8 or 16); 1 keeps exact counts.", DefaultValueFactory = _ => 16 };
        var exclude = new Option<string[]>("--exclude-nodes") { Description = "Node names to leave unpruned (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var firstLast = new Option<bool>("--skip-first-last") { Description = "Magnitude: leave the first and last layers whole (they are pruned by default)." };
        var sensitivity = new Option<bool>("--sensitivity") { Description = "Measure each layer's accuracy drop at several ratios and choose per-layer ratios (needs --eval)." };
        var eval = new Option<string?>("--eval") { Description = "Evaluation dataset for sensitivity and before/after accuracy, e.g. mnist:DIR@0:500 or images:DIR@0:100." };
        var calibration = new Option<string?>("--calibration") { Description = "Channel method: samples whose mean activations replace the removed channels in the next layers' biases (bias compensation), e.g. images:DIR@0:32." };
        var preprocess = CommonOptions.Preprocess();
        var maxDrop = new Option<double>("--max-accuracy-drop") { Description = "Accuracy budget in percentage points for --sensitivity.", DefaultValueFactory = _ => 1.0 };
        var ratios = new Option<double[]>("--sensitivity-ratios") { Description = "Comma-separated ratios tried per layer.", DefaultValueFactory = _ => [0.25, 0.5, 0.75], CustomParser = r => CommonOptions.ParseWith(r, ParseRatios) };
        var noLatency = new Option<bool>("--no-latency") { Description = "Skip measuring original and pruned latency side by side." };
        var threads = CommonOptions.Threads();
        var runs = new Option<int>("--latency-runs") { Description = "Measured runs per model for latency.", DefaultValueFactory = _ => 100 };
        var report = new Option<FileInfo?>("--report") { Description = "Write the report as JSON here, and as Markdown (plus the sensitivity plot) beside it." };
        var command = new Command("prune", "Prune a model: zero weights (magnitude), remove channels by graph surgery (channel) or apply 2:4 sparsity.")
        {
            input, output, method, sparsity, scope, criterion, minChannels, multiple, exclude, firstLast, sensitivity, eval, calibration, preprocess, maxDrop, ratios, noLatency, threads, runs, report,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new PruneOptions
            {
                Method = parseResult.GetValue(method),
                Sparsity = parseResult.GetValue(sparsity),
                Scope = parseResult.GetValue(scope),
                Criterion = parseResult.GetValue(criterion),
                MinChannels = parseResult.GetValue(minChannels),
                ChannelMultiple = parseResult.GetValue(multiple),
                ExcludeNodes = [.. (parseResult.GetValue(exclude) ?? []).SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                SkipFirstLast = parseResult.GetValue(firstLast),
                Sensitivity = parseResult.GetValue(sensitivity),
                EvalDataset = parseResult.GetValue(eval),
                CalibrationDataset = parseResult.GetValue(calibration),
                PreprocessPath = parseResult.GetValue(preprocess)?.FullName,
                MaxAccuracyDrop = parseResult.GetValue(maxDrop),
                SensitivityRatios = parseResult.GetValue(ratios)!,
                MeasureLatency = !parseResult.GetValue(noLatency),
                Threads = parseResult.GetValue(threads),
                LatencyRuns = parseResult.GetValue(runs),
            };
            var recipe = new Recipe
            {
                Input = parseResult.GetValue(input)!.FullName,
                Output = parseResult.GetValue(output)!.FullName,
                Steps = [PipelineCommand.Step(new PrunePass(), options)],
            };
            return await PipelineCommand.RunAsync(context, parseResult, recipe, parseResult.GetValue(report)?.FullName, fromStep: 1, sourceRecipePath: null, cancellationToken);
        });
        return command;
    }

    private static double[] ParseRatios(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseRatio)];

    private static double ParseRatio(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--sensitivity-ratios entry '{text}' is not a number.");
}
