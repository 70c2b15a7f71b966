using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>Options of the prune pass. <see cref="PrunePass.Validate"/> lists every problem at once.</summary>
internal sealed class PruneOptions
{
    /// <summary>How weights are removed. Default: magnitude.</summary>
    public PruneMethod Method { get; init; } = PruneMethod.Magnitude;

    /// <summary>Fraction of weights (magnitude) or channels (channel) to remove, in [0, 1). Ignored by 2:4, which is always 0.5.</summary>
    public double? Sparsity { get; init; }

    /// <summary>Per layer or one ranking over all layers. Default (null): see <see cref="EffectiveScope"/>.</summary>
    public PruneScope? Scope { get; init; }

    /// <summary>
    /// <see cref="Scope"/>, or by default global for magnitude pruning (one threshold lets each layer's sparsity follow
    /// its weights, so small sensitive layers lose little and large redundant ones, such as a classifier, lose more)
    /// and per layer for channel pruning.
    /// </summary>
    [JsonIgnore]
    public PruneScope EffectiveScope => Scope ?? (Method == PruneMethod.Magnitude ? PruneScope.Global : PruneScope.Layer);

    /// <summary>Channel importance for channel pruning. Default: l1.</summary>
    public PruneCriterion Criterion { get; init; } = PruneCriterion.L1;

    /// <summary>Channel pruning never leaves a layer with fewer channels than this. Default 1.</summary>
    public int MinChannels { get; init; } = 1;

    /// <summary>Kept channel counts are rounded to a multiple of this, which CPU kernels run faster (x86 AVX-512 blocks channels by 16). Default 16.</summary>
    public int ChannelMultiple { get; init; } = 16;

    /// <summary>Layers (node names) to leave whole.</summary>
    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];

    /// <summary>
    /// Magnitude pruning leaves the first and last layers whole. Off by default: zeros never change a shape, the
    /// global threshold already spares small sensitive layers, and a classifier often holds most of the weights.
    /// </summary>
    public bool SkipFirstLast { get; init; }

    /// <summary>Measure each layer's accuracy drop at <see cref="SensitivityRatios"/> and choose per-layer ratios.</summary>
    public bool Sensitivity { get; init; }

    /// <summary>Evaluation dataset (<c>mnist:dir@0:500</c>, <c>images:dir@0:100</c>, ...) for sensitivity and before/after accuracy.</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? EvalDataset { get; init; }

    /// <summary>Preprocessing spec file for image datasets.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? PreprocessPath { get; init; }

    /// <summary>Largest accepted accuracy drop in percentage points (sensitivity). Default 1.</summary>
    public double MaxAccuracyDrop { get; init; } = 1.0;

    /// <summary>Ratios tried per layer in sensitivity analysis.</summary>
    public IReadOnlyList<double> SensitivityRatios { get; init; } = [0.25, 0.5, 0.75];

    /// <summary>Measure latency of the original and pruned models side by side through the SDK. Default on.</summary>
    public bool MeasureLatency { get; init; } = true;

    /// <summary>
    /// Channel method: samples whose mean activations are folded into the biases of the layers that read removed
    /// channels (dataset syntax as <see cref="EvalDataset"/>; 32 or more samples is plenty). Null: removed channels
    /// simply vanish, as if they had been zero.
    /// </summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? CalibrationDataset { get; init; }

    /// <summary>Intra-op threads for latency and evaluation. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Measured runs per model for latency. Default 100.</summary>
    public int LatencyRuns { get; init; } = 100;

    /// <summary>The options as recipe JSON (<see cref="PassOptionsJson{TOptions}"/>: snake_case, every option).</summary>
    public JsonObject ToJson() => PassOptionsJson<PruneOptions>.ToJson(this);

    public static string MethodName(PruneMethod method) => method switch
    {
        PruneMethod.Channel => "channel",
        PruneMethod.SemiStructured => "2:4",
        _ => "magnitude",
    };

    public static PruneMethod ParseMethod(string text) => text.ToLowerInvariant() switch
    {
        "magnitude" => PruneMethod.Magnitude,
        "channel" => PruneMethod.Channel,
        "2:4" => PruneMethod.SemiStructured,
        _ => throw new ArgumentException($"Unknown pruning method '{text}'; expected magnitude, channel or 2:4."),
    };

    public static string CriterionName(PruneCriterion criterion) => criterion == PruneCriterion.BnGamma ? "bn-gamma" : criterion.ToString().ToLowerInvariant();

    public static PruneCriterion ParseCriterion(string text) => text.ToLowerInvariant() switch
    {
        "l1" => PruneCriterion.L1,
        "l2" => PruneCriterion.L2,
        "bn-gamma" => PruneCriterion.BnGamma,
        "activation" => PruneCriterion.Activation,
        _ => throw new ArgumentException($"Unknown channel criterion '{text}'; expected l1, l2, bn-gamma or activation."),
    };

    public static PruneScope ParseScope(string text) => text.ToLowerInvariant() switch
    {
        "layer" => PruneScope.Layer,
        "global" => PruneScope.Global,
        _ => throw new ArgumentException($"Unknown scope '{text}'; expected global or layer."),
    };

    /// <summary>Every problem with these options, each naming the expected and actual value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        if (Method != PruneMethod.SemiStructured && Sparsity is null)
        {
            errors.Add($"--sparsity is required for --method {MethodName(Method)}.");
        }

        if (Sparsity is { } s && (double.IsNaN(s) || s < 0 || s >= 1))
        {
            errors.Add(string.Create(c, $"--sparsity must be in [0, 1), but was {s}."));
        }

        if (Method == PruneMethod.SemiStructured && Sparsity is { } fixedSparsity && fixedSparsity != 0.5)
        {
            errors.Add(string.Create(c, $"--method 2:4 always removes half the weights; --sparsity must be omitted or 0.5, but was {fixedSparsity}."));
        }

        if (Criterion == PruneCriterion.Activation && CalibrationDataset is null)
        {
            errors.Add("--criterion activation measures channels on data; give it --calibration <dataset>.");
        }

        if (CalibrationDataset is not null && Method != PruneMethod.Channel)
        {
            errors.Add($"--calibration is used by --method channel (bias compensation); --method {MethodName(Method)} does not read it.");
        }

        if (MinChannels < 1)
        {
            errors.Add($"--min-channels must be at least 1, but was {MinChannels}.");
        }

        if (ChannelMultiple < 1)
        {
            errors.Add($"--channel-multiple must be at least 1, but was {ChannelMultiple}.");
        }

        if (Sensitivity && EvalDataset is null)
        {
            errors.Add("--sensitivity needs --eval <dataset> to measure accuracy.");
        }

        if (Sensitivity && Method == PruneMethod.SemiStructured)
        {
            errors.Add("--sensitivity chooses per-layer ratios, but --method 2:4 has a fixed ratio; use magnitude or channel.");
        }

        if (double.IsNaN(MaxAccuracyDrop) || MaxAccuracyDrop < 0 || MaxAccuracyDrop > 100)
        {
            errors.Add(string.Create(c, $"--max-accuracy-drop must be in [0, 100] percentage points, but was {MaxAccuracyDrop}."));
        }

        if (SensitivityRatios.Count == 0 || SensitivityRatios.Any(r => double.IsNaN(r) || r <= 0 || r >= 1))
        {
            errors.Add($"--sensitivity-ratios must be one or more values in (0, 1), but were [{string.Join(", ", SensitivityRatios.Select(r => r.ToString(c)))}].");
        }

        if (Threads < 0)
        {
            errors.Add($"--threads must be 0 or more, but was {Threads}.");
        }

        if (LatencyRuns < 1)
        {
            errors.Add($"--latency-runs must be at least 1, but was {LatencyRuns}.");
        }

        return errors;
    }
}
