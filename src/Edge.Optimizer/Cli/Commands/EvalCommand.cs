using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.CommandLine;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Reports;
using Edge.Sdk.IO;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize eval &lt;model.onnx|pkg&gt; --data &lt;dataset&gt; [--preprocess spec.json] [--reference other.onnx] [--json]</c>:
/// accuracy, and agreement with a reference, measured through the SDK. JSON schema: docs/cli-json.md.
/// </summary>
internal static class EvalCommand
{
    public const string Schema = "edge.eval/v1";

    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "The .onnx model or .edgepkg package to evaluate." };
        var data = new Option<string>("--data") { Description = $"Dataset: {DatasetSpec.Syntax}.", Required = true };
        var preprocess = CommonOptions.Preprocess();
        var reference = new Option<FileInfo?>("--reference") { Description = "A model to compare outputs with (top-1 agreement, max and mean absolute error)." };
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var provider = CommonOptions.Provider();
        var trust = CommonOptions.Trust();
        var allowUnsigned = CommonOptions.AllowUnsigned();
        var command = new Command("eval", "Measure a model's accuracy on a dataset, and its agreement with a reference model, through the SDK.")
        {
            model, data, preprocess, reference, json, threads, provider, trust, allowUnsigned,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var resolved = await ResolvedModel.OpenAsync(parseResult.GetValue(model)!, parseResult.GetValue(trust) ?? [], parseResult.GetValue(allowUnsigned), cancellationToken);
            var spec = parseResult.GetValue(preprocess) is { } specFile
                ? await PreprocessSpec.FromFileAsync(specFile.FullName, cancellationToken)
                : resolved.Preprocess;
            var dataset = DatasetFactory.Open(parseResult.GetValue(data)!);
            var referencePath = parseResult.GetValue(reference)?.FullName;
            if (referencePath is not null && !File.Exists(referencePath))
            {
                throw new FileNotFoundException($"Reference model '{referencePath}' {PathProblem.ForFile(referencePath)}.", referencePath);
            }

            var sessionOptions = CommonOptions.SessionOptions(parseResult.GetValue(provider), parseResult.GetValue(threads));
            var result = CliProgress.Run(context, "evaluating", dataset.Count, progress =>
                ModelEvaluator.Evaluate(resolved.ModelPath, dataset, spec, referencePath, sessionOptions, progress, cancellationToken));

            if (parseResult.GetValue(json))
            {
                context.Output.WriteLine(ReportJson.Text(ToJson(resolved.DisplayName, dataset, result), indented: true));
            }
            else
            {
                WriteText(context.Output, resolved.DisplayName, dataset, result);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static JsonObject ToJson(string modelName, IDataset dataset, EvaluationResult result) => new()
    {
        ["schema"] = Schema,
        ["model"] = modelName,
        ["dataset"] = dataset.Spec.ToString(),
        ["samples"] = result.Samples,
        ["top1"] = result.Top1,
        ["top5"] = result.Top5,
        ["reference"] = result.ReferenceName is null ? null : new JsonObject
        {
            ["name"] = result.ReferenceName,
            ["top1_agreement"] = result.Top1Agreement,
            ["max_abs_error"] = result.MaxAbsoluteError,
            ["mean_abs_error"] = result.MeanAbsoluteError,
        },
        ["duration_s"] = result.Duration.TotalSeconds,
    };

    private static void WriteText(TextWriter output, string modelName, IDataset dataset, EvaluationResult result)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"model     {modelName}");
        output.WriteLine($"dataset   {dataset.Spec}");
        output.WriteLine($"samples   {result.Samples}");
        if (result.Top1 is { } top1)
        {
            output.WriteLine(string.Create(c, $"top-1     {top1 * 100:F2}%"));
            output.WriteLine(string.Create(c, $"top-5     {result.Top5 * 100:F2}%"));
        }
        else
        {
            output.WriteLine("accuracy  (no labels)");
        }

        if (result.ReferenceName is not null)
        {
            output.WriteLine($"reference {result.ReferenceName}");
            output.WriteLine(string.Create(c, $"  top-1 agreement  {result.Top1Agreement * 100:F2}%"));
            output.WriteLine(string.Create(c, $"  max abs error    {result.MaxAbsoluteError:G4}"));
            output.WriteLine(string.Create(c, $"  mean abs error   {result.MeanAbsoluteError:G4}"));
        }

        output.WriteLine(string.Create(c, $"time      {result.Duration.TotalSeconds:F1} s"));
    }
}
