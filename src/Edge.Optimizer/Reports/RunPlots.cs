using System.Text.Json.Nodes;
using Edge.Optimizer.Passes.Prune.Reporting;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Reports;

/// <summary>
/// Draws the plots a run's report shows, from the run's typed figures and the steps' reports: latency of the original
/// against the final model, and per step the per-layer SQNR (quantize), the sensitivity curves (prune) and the loss
/// and accuracy by epoch (distill). A step without the data for its plot gets none.
/// </summary>
internal static class RunPlots
{
    /// <summary>Writes every plot beside <paramref name="stem"/> (<c>{stem}.{name}.svg</c>) and returns them in report order.</summary>
    public static async Task<IReadOnlyList<RunPlot>> WriteAsync(PipelineResult result, string stem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plots = new List<RunPlot>();
        var models = result.Models;
        if (models.Count > 1 && models[0].Latency is { SamplesMs.Count: > 0 } before && models[^1].Latency is { SamplesMs.Count: > 0 } after)
        {
            var path = $"{stem}.latency.svg";
            await LatencyChart.WriteAsync(before.SamplesMs, after.SamplesMs, path, cancellationToken, optimizedName: $"after step {models[^1].Label}", title: "Latency per run: original and result");
            plots.Add(new RunPlot("latency", "Latency per run, original and result", path));
        }

        foreach (var step in result.Steps.Where(s => s.Result is not null))
        {
            var report = step.Result!.Report;
            var name = $"step{step.Index}-{step.Pass}";
            switch (step.Pass)
            {
                case "quantize" when Layers(report) is { Count: > 0 } layers:
                    await LayerSqnrChart.WriteAsync(layers, $"{stem}.{name}-sqnr.svg", cancellationToken, $"Step {step.Index}: per-layer SQNR of the quantized model");
                    plots.Add(new RunPlot($"{name}-sqnr", $"Step {step.Index}: per-layer SQNR", $"{stem}.{name}-sqnr.svg"));
                    break;
                case "prune" when await PruneReportWriter.WriteSensitivityPlotAsync(report, $"{stem}.{name}-sensitivity.svg", cancellationToken):
                    plots.Add(new RunPlot($"{name}-sensitivity", $"Step {step.Index}: accuracy drop per layer", $"{stem}.{name}-sensitivity.svg"));
                    break;
                case "distill" when step.Result.Training.Count > 0:
                    var run = new TrainingRun("student", [.. step.Result.Training.Select(e => new TrainingEpoch(e.Epoch, e.Loss, e.Accuracy * 100))]);
                    await TrainingChart.WriteAsync([run], $"{stem}.{name}-training.svg", cancellationToken, $"Step {step.Index}: distillation loss and accuracy by epoch");
                    plots.Add(new RunPlot($"{name}-training", $"Step {step.Index}: loss and accuracy by epoch", $"{stem}.{name}-training.svg"));
                    break;
            }
        }

        return plots;
    }

    private static List<LayerSqnr> Layers(JsonObject report) =>
        [.. (report["layers"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(l => l["sqnr_db"] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d))
            .Select(l => new LayerSqnr((string?)l["node"] ?? (string?)l["tensor"] ?? "?", (double)l["sqnr_db"]!))];
}
