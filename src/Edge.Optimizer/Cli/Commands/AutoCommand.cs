using System.CommandLine;
using Edge.CommandLine;
using Edge.Onnx;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Search;
using Edge.Optimizer.Search.Device;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize auto &lt;model.onnx&gt; --eval &lt;dataset&gt; --max-accuracy-drop &lt;points&gt; -o out.onnx</c>: the
/// fastest model that keeps accuracy, measured on the target, and never one slower than the original.
/// </summary>
internal static class AutoCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<FileInfo>("model") { Description = "The float32 .onnx model." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the chosen model (the original when nothing beats it).", Required = true };
        var eval = new Option<string>("--eval") { Description = "Evaluation dataset: top-1 with labels, otherwise agreement with the original.", Required = true };
        var maxDrop = new Option<double>("--max-accuracy-drop") { Description = "Most points of top-1 (or agreement) a candidate may lose.", DefaultValueFactory = _ => 1.0 };
        var minAgreement = new Option<double>("--min-agreement") { Description = "Least share (0-1) of samples whose top-1 must equal the original's.", DefaultValueFactory = _ => 0.95 };
        var calibration = new Option<string?>("--calibration") { Description = "Calibration dataset; default: the first --calibration-samples of --eval, which then judge nothing." };
        var calibrationSamples = new Option<int>("--calibration-samples") { Description = "Samples cut off the front of --eval for calibration when --calibration is not given.", DefaultValueFactory = _ => 100 };
        var target = new Option<string>("--target") { Description = "Where latency is measured: local (this machine), device:ID or group:NAME (bench jobs through the fleet's broker).", DefaultValueFactory = _ => "local" };
        var candidates = new Option<string?>("--candidates") { Description = $"Comma-separated candidates to try (default: all that fit): {string.Join(", ", CandidateSpace.Names)}." };
        var budget = new Option<double?>("--budget") { Description = "Minutes the search may take; no candidate starts after that." };
        var preprocess = CommonOptions.Preprocess();
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads, as the target will run.", DefaultValueFactory = _ => 2 };
        var latencyRuns = new Option<int>("--latency-runs") { Description = "Interleaved latency runs per model.", DefaultValueFactory = _ => 100 };
        var allowPrune = new Option<bool>("--allow-prune") { Description = "Also try removing 25% and 50% of the channels, each retrained by distillation from the original (needs --train)." };
        var train = new Option<string?>("--train") { Description = "--allow-prune: training dataset for the distillation; never the judging samples." };
        var distillEpochs = new Option<int>("--distill-epochs") { Description = "--allow-prune: distillation epochs per pruned candidate.", DefaultValueFactory = _ => 2 };
        var report = new Option<FileInfo?>("--report") { Description = "Write the search's report as JSON here, with Markdown and the trade-off plot beside it." };
        var command = new Command("auto", "Find the fastest model within an accuracy budget, measured on the target; never one slower than the original.")
        {
            model, output, eval, maxDrop, minAgreement, calibration, calibrationSamples, target, candidates, budget, preprocess, threads, latencyRuns, report,
            allowPrune, train, distillEpochs,
            AutoDeviceOptions.Broker, AutoDeviceOptions.Fleet, AutoDeviceOptions.Username, AutoDeviceOptions.Password, AutoDeviceOptions.JobKey,
            AutoDeviceOptions.SignKey, AutoDeviceOptions.FleetStore, AutoDeviceOptions.DeviceTimeout,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new AutoOptions
            {
                ModelPath = parseResult.GetValue(model)!.FullName,
                OutputPath = parseResult.GetValue(output)!.FullName,
                Eval = Absolute(parseResult.GetValue(eval)!),
                Calibration = parseResult.GetValue(calibration) is { } cal ? Absolute(cal) : null,
                CalibrationSamples = parseResult.GetValue(calibrationSamples),
                MaxAccuracyDrop = parseResult.GetValue(maxDrop),
                MinAgreement = parseResult.GetValue(minAgreement),
                Target = parseResult.GetValue(target)!,
                Candidates = [.. (parseResult.GetValue(candidates) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                BudgetMinutes = parseResult.GetValue(budget),
                Preprocess = parseResult.GetValue(preprocess)?.FullName,
                Threads = parseResult.GetValue(threads),
                LatencyRuns = parseResult.GetValue(latencyRuns),
                AllowPrune = parseResult.GetValue(allowPrune),
                TrainData = parseResult.GetValue(train) is { } trainData ? Absolute(trainData) : null,
                DistillEpochs = parseResult.GetValue(distillEpochs),
                Device = parseResult.GetValue(target) is "local" ? null : AutoDeviceOptions.From(parseResult),
            };
            CliUsageException.ThrowIfAny(options.Validate());
            if (!File.Exists(options.ModelPath))
            {
                throw new CliUsageException($"The model '{options.ModelPath}' {Edge.Sdk.IO.PathProblem.ForFile(options.ModelPath)}.");
            }

            var passContext = new PassContext(context.Error, TimeProvider.System, parseResult.GetValue(EdgeOptimizeCli.VerboseOption))
            {
                Progress = new PassProgressReporter(context, TimeProvider.System),
            };
            var result = await new AutoSearch(PipelineRunner.Default, TimeProvider.System).RunAsync(options, passContext, cancellationToken);
            await WriteChoiceAsync(result, cancellationToken);
            await context.Output.WriteAsync(AutoReport.Table(result).AsMemory(), cancellationToken);
            await context.Output.WriteLineAsync($"chosen    {result.Chosen.Candidate.Name} -> {options.OutputPath}".AsMemory(), cancellationToken);
            await context.Output.WriteLineAsync($"why       {result.Why}".AsMemory(), cancellationToken);
            await context.Output.WriteLineAsync($"latency   measured on {result.LatencySource}".AsMemory(), cancellationToken);
            var passport = await AutoPassport.WriteAsync(result, cancellationToken);
            if (passport.Count > 0)
            {
                await context.Output.WriteLineAsync($"passport  {string.Join(", ", passport)}".AsMemory(), cancellationToken);
            }

            foreach (var note in result.Notes)
            {
                await context.Output.WriteLineAsync($"note      {note}".AsMemory(), cancellationToken);
            }

            if (parseResult.GetValue(report) is { } reportFile)
            {
                var files = await AutoReport.WriteAsync(result, reportFile.FullName, cancellationToken);
                await context.Output.WriteLineAsync($"report    {string.Join(", ", files)}".AsMemory(), cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The chosen model at the output, with its recipe beside it when it was made by one.</summary>
    private static async Task WriteChoiceAsync(AutoResult result, CancellationToken cancellationToken)
    {
        var output = result.Options.OutputPath;
        var chosen = await OnnxModel.LoadAsync(result.Chosen.Path!, cancellationToken: cancellationToken);
        await ModelWorkspace.SaveToAsync(chosen, output, cancellationToken);
        var recipePath = output + ".recipe.json";
        if (result.Chosen.Candidate.Steps.Count > 0)
        {
            await new Recipe { Input = result.Options.ModelPath, Output = output, Steps = result.Chosen.Candidate.Steps }.SaveAsync(recipePath, cancellationToken);
        }
        else
        {
            File.Delete(recipePath);
        }
    }

    private static string Absolute(string dataset) => Data.DatasetSpec.Parse(dataset).WithFullPath(Directory.GetCurrentDirectory()).ToString();
}
