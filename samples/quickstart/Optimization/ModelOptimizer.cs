using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Quickstart.Reporting;

namespace Edge.Quickstart.Optimization;

/// <summary>
/// Step 2 and the first half of step 7: the real optimizer commands. v1 is what <c>auto</c> picks (the fastest model
/// within a point of top-1 on this machine, never a slower one); v2 is one recipe, the original channel-pruned and
/// distilled back from the original (the teacher).
/// </summary>
internal sealed class ModelOptimizer(QuickstartOptions options, Workspace workspace, DataSplit split, ToolRunner tools)
{
    // A quarter of the channels: on MNIST a short distillation wins back nearly all the accuracy; at half it does not in seconds.
    private const double PruneSparsity = 0.25;

    public string[] PreprocessArgs => options.PreprocessPath is { } path ? ["--preprocess", path] : [];

    /// <summary>
    /// v1: <c>dotnet edge-optimize auto</c> picks the fastest model within <see cref="V1AccuracyDropPoints"/> of the
    /// original's top-1, measured here with the devices' one thread, and never one slower than the original: on a CPU
    /// where int8 does not pay, v1 is the original model. Returns the chosen model and what the search printed.
    /// </summary>
    public async Task<(string Model, string Chosen, IReadOnlyList<string> Lines)> AutoAsync(string input, string name, CancellationToken cancellationToken)
    {
        var output = workspace.Model(name);
        var report = workspace.Report(name);
        var (_, lines) = await tools.OptimizeAsync(
            ["auto", input, "-o", output, "--eval", split.Evaluation.ToString(), "--calibration", split.Calibration.ToString(),
             "--max-accuracy-drop", V1AccuracyDropPoints.ToString(CultureInfo.InvariantCulture), "--threads", "1",
             "--latency-runs", options.LatencyRuns.ToString(CultureInfo.InvariantCulture), "--report", report, .. PreprocessArgs],
            cancellationToken);
        var chosen = (string?)JsonNode.Parse(await File.ReadAllTextAsync(report, cancellationToken))?["chosen"]
            ?? throw new QuickstartException($"edge-optimize auto wrote no choice into '{report}'.", 1);
        return (output, chosen, lines.Lines);
    }

    /// <summary>
    /// v2 in one command: a recipe chaining prune (a quarter of the channels) and distill (the original teaches the
    /// pruned model), run by <c>dotnet edge-optimize run</c>. Returns the pruned model (kept in the run's steps folder)
    /// and the distilled one.
    /// </summary>
    public async Task<(string Pruned, string Distilled)> BuildV2Async(string teacher, string name, Action<string> onEpoch, CancellationToken cancellationToken)
    {
        var output = workspace.Model(name);
        var recipePath = Path.Combine(workspace.Models, name + ".steps.recipe.json");
        var prune = new JsonObject
        {
            ["method"] = "channel",
            ["sparsity"] = PruneSparsity,
            ["channel_multiple"] = 1,
            ["measure_latency"] = false,
        };
        var distill = new JsonObject
        {
            ["teacher_path"] = Path.GetFullPath(teacher),
            ["dataset"] = split.Training.ToString(),
            ["use_labels"] = true,
            ["epochs"] = QuickstartOptions.DistillEpochs,
            ["learning_rate"] = 0.005,
            ["threads"] = 2,
            ["seed"] = 0,
            ["preprocess_path"] = options.PreprocessPath is { } path ? Path.GetFullPath(path) : null,
        };
        var recipe = new JsonObject
        {
            ["schema"] = "edge.recipe/v2",
            ["input"] = Path.GetFullPath(teacher),
            ["output"] = output,
            ["steps"] = new JsonArray(
                new JsonObject { ["pass"] = "prune", ["options"] = prune },
                new JsonObject { ["pass"] = "distill", ["options"] = distill }),
        };
        await File.WriteAllTextAsync(recipePath, recipe.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        await tools.OptimizeAsync(
            ["run", recipePath, "--report", workspace.Report(name)],
            cancellationToken,
            line =>
            {
                if (line.StartsWith("epoch ", StringComparison.Ordinal))
                {
                    onEpoch(line);
                }
            });
        return (Path.Combine(output + ".steps", "1-prune", "model.onnx"), output);
    }

    public static double PrunedFraction => PruneSparsity;

    /// <summary>The most top-1 points v1 may lose against the original.</summary>
    public static double V1AccuracyDropPoints => 1.0;
}
