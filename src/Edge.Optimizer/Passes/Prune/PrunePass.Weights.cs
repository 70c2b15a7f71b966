using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Passes.Prune.Magnitude;
using Edge.Optimizer.Passes.Prune.SemiStructured;
using Edge.Optimizer.Passes.Prune.Sensitivity;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>Magnitude and 2:4 pruning: weights become zero, shapes stay.</summary>
internal sealed partial class PrunePass
{
    private static OnnxModel PruneWeights(PruneRun run, JsonObject report, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var output = Clone(run.Input);
        List<LayerSparsity> rows;
        if (options.Method == PruneMethod.SemiStructured)
        {
            rows = SemiStructuredPruner.Prune(output, run.Excluded);
            report["metadata_key"] = SemiStructuredPruner.MetadataKey;
            report["semi_structured_layers"] = new JsonArray([.. rows.Where(r => r.Note is null).Select(r => (JsonNode)r.Layer)]);
        }
        else
        {
            IReadOnlyDictionary<string, double>? ratios = null;
            if (options.Sensitivity)
            {
                var units = MagnitudePruner.Targets(run.Input, !options.SkipFirstLast, run.Excluded)
                    .Select(t => new SensitivityUnit(t.Name, t.Name, t.Size)).ToList();
                var result = SensitivityAnalyzer.Run(units, options.SensitivityRatios, options.Sparsity!.Value, options.MaxAccuracyDrop,
                    chosen =>
                    {
                        var candidate = Clone(run.Input);
                        MagnitudePruner.Prune(candidate, 0, PruneScope.Layer, !options.SkipFirstLast, run.Excluded, chosen);
                        return Score(run, candidate, cancellationToken);
                    },
                    run.Context.Log, cancellationToken);
                report["sensitivity"] = SensitivityJson(result);
                ratios = result.Ratios;
                if (!result.TargetMet)
                {
                    run.Warnings.Add(result.Note);
                }
            }

            rows = MagnitudePruner.Prune(output, options.Sparsity!.Value, options.EffectiveScope, !options.SkipFirstLast, run.Excluded, ratios);
        }

        var targeted = rows.Where(r => r.Note is null).ToList();
        var parameters = targeted.Sum(r => r.Parameters);
        var zeros = targeted.Sum(r => r.ZerosAfter);
        report["targeted_layers"] = targeted.Count;
        report["targeted_parameters"] = parameters;
        report["targeted_sparsity"] = parameters == 0 ? 0 : (double)zeros / parameters;
        report["layers"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["layer"] = r.Layer,
            ["op"] = r.OpType,
            ["parameters"] = r.Parameters,
            ["zeros_before"] = r.ZerosBefore,
            ["zeros_after"] = r.ZerosAfter,
            ["sparsity"] = r.Sparsity,
            ["note"] = r.Note,
        })]);
        run.Context.Log.WriteLine($"pruned {targeted.Count} layer(s) to {Percent(parameters == 0 ? 0 : (double)zeros / parameters)} sparsity");
        return output;
    }

    private static OnnxModel Clone(OnnxModel model) => OnnxModel.FromProto(model.Proto.Clone(), model.ExternalDataDirectory);

    private static JsonObject SensitivityJson(SensitivityResult result) => new()
    {
        ["base_score"] = result.BaseScore,
        ["final_score"] = result.FinalScore,
        ["achieved_sparsity"] = result.AchievedSparsity,
        ["target_met"] = result.TargetMet,
        ["note"] = result.Note,
        ["curves"] = new JsonArray([.. result.Curves.Select(curve => (JsonNode)new JsonObject
        {
            ["unit"] = curve.Unit.Label,
            ["size"] = curve.Unit.Size,
            ["chosen_ratio"] = result.Ratios.GetValueOrDefault(curve.Unit.Key),
            ["points"] = new JsonArray([.. curve.Points.Select(p => (JsonNode)new JsonObject { ["ratio"] = p.Ratio, ["score"] = p.Score, ["drop"] = p.Drop })]),
        })]),
    };
}
