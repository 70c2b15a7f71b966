using System.Text.Json.Nodes;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Pipeline.Measurement;

namespace Edge.Optimizer.Reports;

/// <summary>
/// The one report of a pipeline run as JSON (<c>edge.run-report/v1</c>, documented in <c>docs/cli-json.md</c>): the
/// verdict, the summary of the original and each step's model, then each step's own report.
/// </summary>
internal static class RunReport
{
    public const string Schema = "edge.run-report/v1";

    public static JsonObject Build(PipelineResult result, string? recipePath)
    {
        ArgumentNullException.ThrowIfNull(result);
        var models = Comparable(result);
        var document = new JsonObject
        {
            ["schema"] = Schema,
            ["verdict"] = Verdict.For(models),
            ["input"] = result.Recipe.Input,
            ["output"] = result.Recipe.Output,
            ["recipe"] = recipePath,
            ["from_step"] = result.FromStep,
            ["measured"] = result.Recipe.Measure is null ? "each step against its input (add a 'measure' section to compare every model with the original)" : "every model against the original, side by side",
            ["summary"] = new JsonArray([.. result.Models.Select(m => (JsonNode)Row(m, result.Models[0]))]),
            ["steps"] = new JsonArray([.. result.Steps.Select(s => (JsonNode)Step(s))]),
            ["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode)w)]),
        };
        return document;
    }

    /// <summary>
    /// The original and final figures the verdict may compare: without a measure section, latency and accuracy of a
    /// later step were measured against that step's input, not the original, so the verdict leaves them out.
    /// </summary>
    public static IReadOnlyList<ModelFigures> Comparable(PipelineResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var models = result.Models;
        var modelSteps = result.Steps.Count(s => s.Produces == ArtifactKind.Model);
        if (result.Recipe.Measure is not null || modelSteps <= 1)
        {
            return models;
        }

        return [models[0] with { Latency = null, Top1 = null }, models[^1] with { Latency = null, Top1 = null, Agreement = null }];
    }

    private static JsonObject Row(ModelFigures model, ModelFigures original) => new()
    {
        ["model"] = model.Label,
        ["path"] = model.Path,
        ["bytes"] = model.Bytes,
        ["size_ratio"] = Math.Round((double)model.Bytes / original.Bytes, 4),
        ["p50_ms"] = Round(model.Latency?.P50Ms),
        ["p95_ms"] = Round(model.Latency?.P95Ms),
        ["p50_ratio"] = model.Latency is { } l && original.Latency is { } o ? Math.Round(l.P50Ms / o.P50Ms, 3) : null,
        ["latency_runs"] = model.Latency?.Runs,
        ["top1"] = Round(model.Top1),
        ["agreement"] = Round(model.Agreement),
        ["source"] = model.Source,
    };

    private static JsonObject Step(StepOutcome step)
    {
        var json = new JsonObject
        {
            ["index"] = step.Index,
            ["pass"] = step.Pass,
            ["output"] = step.OutputPath,
            ["skipped"] = step.Result is null,
            ["options"] = step.Options.DeepClone(),
        };
        if (step.Result is { } result)
        {
            json["report"] = result.Report.DeepClone();
            json["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode)w)]);
        }

        return json;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    /// <summary>The latency samples of each model that has them, for the distribution plot.</summary>
    public static IReadOnlyList<(string Label, LatencyStats Latency)> Latencies(PipelineResult result) =>
        [.. result.Models.Where(m => m.Latency is { SamplesMs.Count: > 0 }).Select(m => (m.Label, m.Latency!))];
}
