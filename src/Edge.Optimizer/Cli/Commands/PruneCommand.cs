using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Reporting;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize prune &lt;in.onnx&gt; -o &lt;out.onnx&gt; --method magnitude|channel|2:4 --sparsity &lt;0..1&gt;</c>:
/// builds a recipe with one prune step, runs it, saves the model and the recipe beside it, and prints what it measured.
/// </summary>
internal static class PruneCommand
{
    public static Command Build(CliContext context)
    {
        var input = new Argument<FileInfo>("model") { Description = "The .onnx model to prune." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the pruned model.", Required = true };
        var method = new Option<string>("--method") { Description = "magnitude (zeros; pays in compressed size), channel (removes channels; pays in latency) or 2:4 (sparse tensor cores).", DefaultValueFactory = _ => "magnitude" };
        var sparsity = new Option<double?>("--sparsity") { Description = "Fraction of weights (magnitude) or channels (channel) to remove, in [0, 1). 2:4 is always 0.5." };
        var scope = new Option<string?>("--scope") { Description = "layer (each layer loses the same fraction) or global (one ranking over all layers). Default: global for magnitude, layer for channel." };
        var criterion = new Option<string>("--criterion") { Description = "Channel importance: l1, l2, bn-gamma, or activation (measured on --calibration data).", DefaultValueFactory = _ => "l1" };
        var minChannels = new Option<int>("--min-channels") { Description = "Never leave a layer with fewer channels than this.", DefaultValueFactory = _ => 1 };
        var multiple = new Option<int>("--channel-multiple") { Description = "Round kept channel counts to a multiple of this (CPU kernels block channels by 8 or 16); 1 keeps exact counts.", DefaultValueFactory = _ => 16 };
        var exclude = new Option<string[]>("--exclude-nodes") { Description = "Node names to leave unpruned (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var firstLast = new Option<bool>("--skip-first-last") { Description = "Magnitude: leave the first and last layers whole (they are pruned by default)." };
        var sensitivity = new Option<bool>("--sensitivity") { Description = "Measure each layer's accuracy drop at several ratios and choose per-layer ratios (needs --eval)." };
        var eval = new Option<string?>("--eval") { Description = "Evaluation dataset for sensitivity and before/after accuracy, e.g. mnist:DIR@0:500 or images:DIR@0:100." };
        var calibration = new Option<string?>("--calibration") { Description = "Channel method: samples whose mean activations replace the removed channels in the next layers' biases (bias compensation), e.g. images:DIR@0:32." };
        var preprocess = CommonOptions.Preprocess();
        var maxDrop = new Option<double>("--max-accuracy-drop") { Description = "Accuracy budget in percentage points for --sensitivity.", DefaultValueFactory = _ => 1.0 };
        var ratios = new Option<string>("--sensitivity-ratios") { Description = "Comma-separated ratios tried per layer.", DefaultValueFactory = _ => "0.25,0.5,0.75" };
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
            PruneOptions options;
            try
            {
                options = new PruneOptions
                {
                    Method = PruneOptions.ParseMethod(parseResult.GetValue(method)!),
                    Sparsity = parseResult.GetValue(sparsity),
                    Scope = parseResult.GetValue(scope) is { } scopeText ? PruneOptions.ParseScope(scopeText) : null,
                    Criterion = PruneOptions.ParseCriterion(parseResult.GetValue(criterion)!),
                    MinChannels = parseResult.GetValue(minChannels),
                    ChannelMultiple = parseResult.GetValue(multiple),
                    ExcludeNodes = [.. (parseResult.GetValue(exclude) ?? []).SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    SkipFirstLast = parseResult.GetValue(firstLast),
                    Sensitivity = parseResult.GetValue(sensitivity),
                    EvalDataset = parseResult.GetValue(eval),
                    CalibrationDataset = parseResult.GetValue(calibration),
                    PreprocessPath = parseResult.GetValue(preprocess)?.FullName,
                    MaxAccuracyDrop = parseResult.GetValue(maxDrop),
                    SensitivityRatios = [.. parseResult.GetValue(ratios)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseRatio)],
                    MeasureLatency = !parseResult.GetValue(noLatency),
                    Threads = parseResult.GetValue(threads),
                    LatencyRuns = parseResult.GetValue(runs),
                };
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message, e);
            }

            var pass = new PrunePass();
            var errors = pass.Validate(options);
            CliUsageException.ThrowIfAny(errors);

            var inputPath = parseResult.GetValue(input)!.FullName;
            var outputPath = parseResult.GetValue(output)!.FullName;
            var model = await OnnxModel.LoadAsync(inputPath, cancellationToken: cancellationToken);
            var passContext = new PassContext(context.Error, TimeProvider.System, parseResult.GetValue(EdgeOptimizeCli.VerboseOption), context.Interactive);
            var result = await pass.RunAsync(model, options, passContext, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            await result.Model.SaveAsync(outputPath, cancellationToken: cancellationToken);
            var recipe = new Recipe { Input = inputPath, Output = outputPath, Steps = [new RecipeStep(pass.Descriptor.Name, options.ToJson())] };
            await recipe.SaveAsync(outputPath + ".recipe.json", cancellationToken);

            var full = new JsonObject { ["input"] = inputPath, ["output"] = outputPath, ["recipe"] = recipe.ToJson() };
            foreach (var (key, value) in result.Report)
            {
                full[key] = value?.DeepClone();
            }

            WriteSummary(context.Output, full, outputPath);
            if (parseResult.GetValue(report) is { } reportFile)
            {
                var files = await PruneReportWriter.WriteAsync(reportFile.FullName, full, cancellationToken);
                await context.Output.WriteLineAsync($"report    {string.Join(", ", files)}".AsMemory(), cancellationToken);
            }

            foreach (var warning in result.Warnings)
            {
                await context.Error.WriteLineAsync($"warning: {warning}".AsMemory(), cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static double ParseRatio(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--sensitivity-ratios entry '{text}' is not a number.");

    private static void WriteSummary(TextWriter writer, JsonObject report, string outputPath)
    {
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine($"saved     {outputPath}");
        if (report["channel_sparsity"] is { } channels)
        {
            writer.WriteLine(string.Create(c, $"channels  {(double)channels:P1} removed; {report["frozen_groups"]} group(s) left whole (see the report for why)"));
        }

        if (report["targeted_sparsity"] is { } sparsity)
        {
            writer.WriteLine(string.Create(c, $"sparsity  {(double)sparsity:P2} over {report["targeted_layers"]} targeted layer(s)"));
        }

        if (report["macs"]?["ratio"] is { } macs)
        {
            writer.WriteLine(string.Create(c, $"MACs      {(long)report["macs"]!["original"]!:N0} -> {(long)report["macs"]!["pruned"]!:N0} ({(double)macs:F3}x)"));
        }

        var size = report["size"]!;
        writer.WriteLine(string.Create(c, $"size      {(long)size["original_bytes"]!:N0} -> {(long)size["pruned_bytes"]!:N0} bytes ({(double)size["bytes_ratio"]!:F3}x); gzip {(long)size["original_gzip_bytes"]!:N0} -> {(long)size["pruned_gzip_bytes"]!:N0} ({(double)size["gzip_ratio"]!:F3}x)"));
        if (report["latency"] is { } latency)
        {
            writer.WriteLine(string.Create(c, $"latency   p50 {(double)latency["original_p50_ms"]!:F3} -> {(double)latency["pruned_p50_ms"]!:F3} ms ({(double)latency["p50_ratio"]!:F3}x; min {(double)latency["min_ratio"]!:F3}x; {latency["threads"]} threads, interleaved)"));
        }

        if (report["accuracy"] is { } accuracy)
        {
            writer.WriteLine(string.Create(c, $"accuracy  top-1 {accuracy["original_top1"]} -> {accuracy["pruned_top1"]}; agreement with original {accuracy["top1_agreement_with_original"]} (before recovery)"));
        }
    }
}
