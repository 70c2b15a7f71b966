using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Passes.Prune.Channels;
using Edge.Optimizer.Passes.Prune.Sensitivity;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>Structured channel pruning: whole channels leave the graph.</summary>
internal sealed partial class PrunePass
{
    private static OnnxModel PruneChannels(PruneRun run, JsonObject report, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var prepared = ChannelPruner.Prepare(run.Input, cancellationToken, addMissingBiases: options.CalibrationDataset is not null);
        var settings = new ChannelSelectionSettings(options.Sparsity!.Value, options.EffectiveScope, options.Criterion, options.MinChannels, options.ChannelMultiple, run.Excluded);
        var preview = ChannelPruner.Prune(prepared, settings with { Sparsity = 0 });
        var prunable = preview.Selection.Decisions.Where(d => !d.Frozen).ToList();
        if (prunable.Count == 0)
        {
            var reasons = preview.Selection.Decisions.Select(d => $"{string.Join("+", d.Layers)}: {d.Note}").Take(5);
            throw new InvalidDataException(preview.Selection.Decisions.Count == 0
                ? "The model has nothing to prune by channels: no Conv, ConvTranspose, Gemm or MatMul has constant weights."
                : $"The model has nothing to prune by channels: every channel group is unsafe to cut ({string.Join("; ", reasons)}).");
        }

        if (options.CalibrationDataset is not null)
        {
            var samples = DatasetFactory.Open(options.CalibrationDataset);
            run.Context.Log.WriteLine($"measuring channel statistics on {samples.Spec} (bias compensation{(options.Criterion == PruneCriterion.Activation ? ", activation criterion" : "")})");
            settings = settings with { Moments = ChannelStatisticsCollector.Collect(prepared, samples, run.Preprocess, options.Threads, cancellationToken) };
        }

        if (options.Sensitivity)
        {
            var units = prunable.Select(d => new SensitivityUnit(d.Root.ToString(CultureInfo.InvariantCulture), string.Join("+", d.Layers), d.Channels)).ToList();
            var result = SensitivityAnalyzer.Run(units, options.SensitivityRatios, options.Sparsity!.Value, options.MaxAccuracyDrop,
                chosen =>
                {
                    var ratios = chosen.ToDictionary(p => int.Parse(p.Key, CultureInfo.InvariantCulture), p => p.Value);
                    var candidate = ChannelPruner.Prune(prepared, settings with { Sparsity = 0, Ratios = ratios });
                    return Score(run, candidate.Model, cancellationToken);
                },
                run.Context.Log, cancellationToken);
            report["sensitivity"] = SensitivityJson(result);
            settings = settings with { Ratios = result.Ratios.ToDictionary(p => int.Parse(p.Key, CultureInfo.InvariantCulture), p => p.Value) };
            if (!result.TargetMet)
            {
                run.Warnings.Add(result.Note);
            }
        }

        var outcome = ChannelPruner.PruneVerified(prepared, settings, cancellationToken);
        run.Warnings.AddRange(outcome.Warnings);
        foreach (var decision in outcome.Selection.Decisions.Where(d => d.Note is not null && d.Note.Contains("clamped", StringComparison.Ordinal)))
        {
            run.Warnings.Add($"{string.Join("+", decision.Layers)}: {decision.Note}");
        }

        var decisions = outcome.Selection.Decisions;
        var channels = decisions.Where(d => !d.Frozen).Sum(d => d.Channels);
        var kept = decisions.Where(d => !d.Frozen).Sum(d => d.Kept);
        report["prunable_groups"] = decisions.Count(d => !d.Frozen);
        report["frozen_groups"] = decisions.Count(d => d.Frozen);
        report["channel_sparsity"] = channels == 0 ? 0 : 1 - ((double)kept / channels);
        report["groups"] = new JsonArray([.. decisions.Select(d => (JsonNode)new JsonObject
        {
            ["layers"] = new JsonArray([.. d.Layers.Select(l => (JsonNode)l)]),
            ["channels"] = d.Channels,
            ["kept"] = d.Kept,
            ["frozen"] = d.Frozen,
            ["note"] = d.Note,
        })]);
        if (outcome.Compensation is { } compensation)
        {
            report["bias_compensation"] = new JsonObject
            {
                ["calibration"] = options.CalibrationDataset,
                ["layers"] = new JsonArray([.. compensation.Compensated.Select(l => (JsonNode)l)]),
                ["skipped"] = new JsonArray([.. compensation.Skipped.Select(l => (JsonNode)l)]),
            };
        }

        run.Context.Log.WriteLine($"removed {channels - kept} of {channels} channels in {decisions.Count(d => d.Pruned)} group(s); {report["frozen_groups"]} group(s) left whole");
        return outcome.Model;
    }
}
