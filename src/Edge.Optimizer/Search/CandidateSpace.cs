using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Search;

/// <summary>
/// The candidates <c>auto</c> tries, adapted to the model and the target. Each is a recipe the pipeline runs:
/// <list type="bullet">
/// <item><c>fp32</c>: the original, always measured, and the answer when nothing beats it;</item>
/// <item><c>fp16</c>: only where the target has a GPU (on a CPU it runs through conversions);</item>
/// <item><c>dynamic-int8</c>: for models whose work is mostly MatMul, Gemm or recurrent ops;</item>
/// <item>static int8 QDQ: per-tensor and per-channel weights, U8S8 and S8S8, MinMax and percentile calibration;</item>
/// <item><c>static-recovered</c>: the most accurate static candidate that missed the target, with the layers the
/// accuracy search names returned to float (tuned on the calibration samples, never on the judging ones);</item>
/// <item><c>prune-channel-25</c> and <c>prune-channel-50</c>, with <c>--allow-prune</c>: a quarter or half of the
/// output channels removed by graph surgery (counts kept to multiples of 8, which the CPU kernels block by), then the
/// original teaches the pruned model on <c>--train</c> to recover accuracy.</item>
/// </list>
/// </summary>
internal static class CandidateSpace
{
    public const string Original = "fp32";
    public const string Recovered = "static-recovered";

    private static readonly (string Name, string Description, bool PerChannel, QuantizedType Activations, CalibrationMethod Method)[] Statics =
    [
        ("static-u8s8-tensor-minmax", "static int8, one weight scale per tensor, uint8 activations, MinMax", false, QuantizedType.UInt8, CalibrationMethod.MinMax),
        ("static-u8s8-channel-minmax", "static int8, per-channel weights, uint8 activations, MinMax", true, QuantizedType.UInt8, CalibrationMethod.MinMax),
        ("static-u8s8-channel-percentile", "static int8, per-channel weights, uint8 activations, 99.99th percentile", true, QuantizedType.UInt8, CalibrationMethod.Percentile),
        ("static-s8s8-channel-percentile", "static int8, per-channel weights, int8 activations, 99.99th percentile", true, QuantizedType.Int8, CalibrationMethod.Percentile),
    ];

    private static readonly HashSet<string> MatMulOps = new(StringComparer.Ordinal) { "MatMul", "Gemm", "LSTM", "GRU", "RNN", "Attention", "MultiHeadAttention", "Einsum" };

    private static readonly HashSet<string> ConvOps = new(StringComparer.Ordinal) { "Conv", "ConvTranspose" };

    private static readonly (string Name, double Sparsity)[] Prunes = [("prune-channel-25", 0.25), ("prune-channel-50", 0.5)];

    /// <summary>Every candidate name, in the order they are tried.</summary>
    public static IReadOnlyList<string> Names { get; } = [Original, "fp16", "dynamic-int8", .. Statics.Select(s => s.Name), Recovered, .. Prunes.Select(p => p.Name)];

    /// <summary>The candidates to try and, separately, those that do not fit the model or target (with why).</summary>
    /// <param name="model">The original, to see what its work is made of.</param>
    /// <param name="requested">Names from <c>--candidates</c>; empty: the default space.</param>
    /// <param name="calibration">The calibration dataset argument.</param>
    /// <param name="preprocess">The preprocessing spec path, or null.</param>
    /// <param name="threads">Threads for calibration.</param>
    /// <param name="targetHasGpu">Whether the target can run fp16 natively.</param>
    /// <param name="prune">What pruning candidates need; null without <c>--allow-prune</c>.</param>
    public static (IReadOnlyList<Candidate> Try, IReadOnlyList<(Candidate Candidate, string Reason)> Skip) Build(
        OnnxModel model, IReadOnlyList<string> requested, string calibration, string? preprocess, int threads, bool targetHasGpu, PruneSettings? prune = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var ops = model.Proto.Graph.Node.Select(n => n.OpType).ToList();
        var matMuls = ops.Count(MatMulOps.Contains);
        var convs = ops.Count(ConvOps.Contains);
        var all = new List<(Candidate Candidate, string? SkipReason)>
        {
            (new Candidate(Original, "the original model, unchanged", []), null),
            (Quantize("fp16", "fp16 weights and activations", new QuantizeOptions { Mode = QuantizeMode.Fp16, LatencyRuns = 0, AnalyzeLayers = false, Threads = threads }),
                targetHasGpu ? null : "the target has no GPU; on a CPU fp16 runs through conversions"),
            (Quantize("dynamic-int8", "dynamic int8: int8 weights, activations quantized at run time", new QuantizeOptions { Mode = QuantizeMode.Dynamic, LatencyRuns = 0, AnalyzeLayers = false, Threads = threads }),
                matMuls > 0 && matMuls >= convs ? null : $"the model's work is convolutions ({convs} Conv against {matMuls} MatMul/Gemm/recurrent nodes); dynamic int8 quantizes MatMul and Gemm"),
        };
        foreach (var (name, description, perChannel, activations, method) in Statics)
        {
            all.Add((Quantize(name, description, Static(calibration, preprocess, threads, perChannel, activations, method)), null));
        }

        foreach (var (name, sparsity) in Prunes)
        {
            all.Add((Prune(name, sparsity, prune), prune is null ? "pruning changes the architecture and needs retraining: pass --allow-prune with --train DATASET" : convs == 0 ? "the model has no convolutions to remove channels from" : null));
        }

        var selected = requested.Count == 0 ? all : all.Where(c => requested.Contains(c.Candidate.Name, StringComparer.Ordinal)).ToList();
        if (!selected.Any(c => c.Candidate.Name == Original))
        {
            // The original is the yardstick and the fallback; it is always measured.
            selected.Insert(0, all[0]);
        }

        return (
            [.. selected.Where(c => c.SkipReason is null).Select(c => c.Candidate)],
            [.. selected.Where(c => c.SkipReason is not null).Select(c => (c.Candidate, c.SkipReason!))]);
    }

    /// <summary>The recovery candidate: <paramref name="source"/>'s quantize step with layers returned to float until the drop is met on the calibration samples.</summary>
    public static Candidate Recover(Candidate source, string calibration, double maxAccuracyDrop)
    {
        ArgumentNullException.ThrowIfNull(source);
        var step = source.Steps.Single();
        var options = (JsonObject)step.Options.DeepClone();
        options["max_accuracy_drop"] = maxAccuracyDrop;
        options["eval"] = calibration;
        return new Candidate(Recovered, $"{source.Name} with the layers the accuracy search names kept float", [new RecipeStep(step.Pass, options)]);
    }

    private static Candidate Prune(string name, double sparsity, PruneSettings? settings)
    {
        var description = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sparsity * 100:0}% of the output channels removed, then distilled from the original");
        if (settings is null)
        {
            return new Candidate(name, description, []);
        }

        var prune = new JsonObject { ["method"] = "channel", ["sparsity"] = sparsity, ["channel_multiple"] = 8, ["measure_latency"] = false };
        var distill = new JsonObject
        {
            ["teacher_path"] = settings.Teacher,
            ["dataset"] = settings.TrainData,
            ["use_labels"] = settings.UseLabels,
            ["epochs"] = settings.Epochs,
            ["threads"] = settings.Threads,
            ["seed"] = 0,
            ["preprocess_path"] = settings.Preprocess,
        };
        return new Candidate(name, description, [new RecipeStep("prune", prune), new RecipeStep("distill", distill)]);
    }

    private static QuantizeOptions Static(string calibration, string? preprocess, int threads, bool perChannel, QuantizedType activations, CalibrationMethod method) => new()
    {
        Mode = QuantizeMode.Static,
        Calibration = calibration,
        Preprocess = preprocess,
        PerChannel = perChannel,
        ActivationType = activations,
        Method = method,
        Percentile = 99.99,
        LatencyRuns = 0,
        AnalyzeLayers = false,
        Threads = threads,
    };

    private static Candidate Quantize(string name, string description, QuantizeOptions options) =>
        new(name, description, [new RecipeStep("quantize", PassOptionsJson<QuantizeOptions>.ToJson(options))]);
}
