using Edge.Optimizer.Calibration;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Passes.Quantize;

/// <summary>
/// Options of the quantize pass, serialized into recipes. Defaults follow what runs fastest on x64 CPUs with
/// ONNX Runtime: asymmetric uint8 activations with symmetric int8 weights (U8S8), MinMax calibration.
/// </summary>
internal sealed record QuantizeOptions
{
    /// <summary>Static int8 QDQ, dynamic int8 or fp16.</summary>
    public QuantizeMode Mode { get; init; } = QuantizeMode.Static;

    /// <summary>Calibration dataset (<c>images:dir@0:100</c>, <c>mnist:dir</c>, ...); required for static mode.</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? Calibration { get; init; }

    /// <summary>Path of the preprocessing spec (JSON) that turns image samples into model input.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Preprocess { get; init; }

    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the share of |x| kept inside the range, in percent (90..100).</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>Samples per calibration run when the model's batch dimension is dynamic.</summary>
    public int CalibrationBatchSize { get; init; } = 8;

    /// <summary>One weight scale per output channel (Conv, ConvTranspose, Gemm, MatMul) instead of one per tensor.</summary>
    public bool PerChannel { get; init; }

    public QuantizedType ActivationType { get; init; } = QuantizedType.UInt8;

    /// <summary>Symmetric activations put 0 in the middle of the range; asymmetric ones use the whole range (and let ReLU fold away).</summary>
    public bool ActivationSymmetric { get; init; }

    public QuantizedType WeightType { get; init; } = QuantizedType.Int8;

    public bool WeightSymmetric { get; init; } = true;

    /// <summary>Node names that stay float.</summary>
    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];

    /// <summary>Op types that stay float.</summary>
    public IReadOnlyList<string> ExcludeOpTypes { get; init; } = [];

    /// <summary>When not empty, only these op types are quantized.</summary>
    public IReadOnlyList<string> OpTypes { get; init; } = [];

    /// <summary>Run ONNX Runtime's hardware-independent (basic) graph optimizations first: constant folding, Conv+BN/Add fusion.</summary>
    public bool Preoptimize { get; init; } = true;

    /// <summary>fp16: keep float32 graph inputs and outputs (a Cast at each edge), so callers keep feeding float32.</summary>
    public bool KeepIoTypes { get; init; } = true;

    /// <summary>fp16: op types kept in float32 because they are numerically unsafe in half precision.</summary>
    public IReadOnlyList<string> Fp16BlockList { get; init; } = DefaultFp16BlockList;

    /// <summary>Most accuracy (points of top-1, or of agreement) the result may lose; needs <see cref="Eval"/>.</summary>
    public double? MaxAccuracyDrop { get; init; }

    /// <summary>Evaluation dataset for accuracy, agreement and the <see cref="MaxAccuracyDrop"/> search.</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? Eval { get; init; }

    /// <summary>
    /// Keep float the feature maps where one per-tensor 8-bit scale leaves a quarter of the channels fewer than
    /// <see cref="ChannelGuardLevels"/> levels (see <see cref="Static.StarvedChannels"/>), with their producers and consumers.
    /// </summary>
    public bool GuardStarvedChannels { get; init; } = true;

    /// <summary>
    /// The channel guard's threshold in 8-bit levels. Higher keeps more tensors float: more accuracy on models with
    /// uneven channels, less speed.
    /// </summary>
    public double ChannelGuardLevels { get; init; } = DefaultChannelGuardLevels;

    /// <summary>The guard's default threshold: see <see cref="Static.StarvedChannels.DefaultMinimumLevels"/>.</summary>
    public const double DefaultChannelGuardLevels = Static.StarvedChannels.DefaultMinimumLevels;

    /// <summary>Compare fp32 and quantized activations layer by layer on calibration data (SQNR, cosine).</summary>
    public bool AnalyzeLayers { get; init; } = true;

    /// <summary>Calibration samples used for the per-layer comparison (the first ones of the calibration set).</summary>
    public int AnalysisSamples { get; init; } = 16;

    /// <summary>Interleaved latency runs of each model through the SDK for the report (0: only check that the result runs).</summary>
    public int LatencyRuns { get; init; } = 100;

    /// <summary>ONNX Runtime intra-op threads for calibration, evaluation and latency (the done-when figures use 2).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Ops ONNX Runtime computes poorly in fp16: reductions with large sums, exponentials and range-sensitive normalizations.</summary>
    public static IReadOnlyList<string> DefaultFp16BlockList { get; } =
        ["Exp", "Log", "Pow", "ReduceSum", "ReduceMean", "ReduceProd", "ReduceLogSumExp", "ReduceSumSquare", "CumSum", "Range", "RandomNormal", "RandomUniform", "NonMaxSuppression", "TopK", "Resize", "Upsample", "InstanceNormalization", "LayerNormalization", "Einsum"];

    /// <summary>Every problem with these options, all at once.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Mode == QuantizeMode.Static && string.IsNullOrWhiteSpace(Calibration))
        {
            errors.Add("static quantization needs a calibration dataset (--calibration), for example images:photos@0:100.");
        }

        if (ChannelGuardLevels is < 1 or > 128 || double.IsNaN(ChannelGuardLevels))
        {
            errors.Add($"--channel-guard-levels is {ChannelGuardLevels}; expected 1 to 128 (of the 256 levels of 8 bits).");
        }

        if (double.IsNaN(Percentile) || Percentile is <= 90 or > 100)
        {
            errors.Add($"--percentile is {Percentile}; expected a number more than 90 and at most 100.");
        }

        if (CalibrationBatchSize < 1)
        {
            errors.Add($"--calibration-batch-size is {CalibrationBatchSize}; expected 1 or more.");
        }

        if (Threads < 1)
        {
            errors.Add($"--threads is {Threads}; expected 1 or more.");
        }

        if (LatencyRuns < 0)
        {
            errors.Add($"--latency-runs is {LatencyRuns}; expected 0 or more.");
        }

        if (AnalysisSamples < 1)
        {
            errors.Add($"analysis samples is {AnalysisSamples}; expected 1 or more.");
        }

        if (MaxAccuracyDrop is { } drop && (drop < 0 || !double.IsFinite(drop)))
        {
            errors.Add($"--max-accuracy-drop is {drop}; expected 0 or more points.");
        }

        if (MaxAccuracyDrop is not null && string.IsNullOrWhiteSpace(Eval))
        {
            errors.Add("--max-accuracy-drop needs an evaluation dataset (--eval) to measure the drop on.");
        }

        if (Mode == QuantizeMode.Static && ActivationType == QuantizedType.Int8 && WeightType == QuantizedType.UInt8)
        {
            errors.Add("int8 activations with uint8 weights (S8U8) have no ONNX Runtime integer kernel; use --weight-type int8 (S8S8) or --activation-type uint8.");
        }

        if (Mode == QuantizeMode.Dynamic && ActivationType == QuantizedType.Int8)
        {
            errors.Add("dynamic quantization computes activation scales at run time with DynamicQuantizeLinear, which only produces uint8; use --activation-type uint8.");
        }

        if (Mode == QuantizeMode.Fp16 && MaxAccuracyDrop is not null)
        {
            errors.Add("--max-accuracy-drop applies to int8 modes; fp16 has no layers to fall back from.");
        }

        if (OpTypes.Count > 0 && ExcludeOpTypes.Intersect(OpTypes, StringComparer.Ordinal).Any())
        {
            errors.Add($"op types [{string.Join(", ", ExcludeOpTypes.Intersect(OpTypes, StringComparer.Ordinal))}] are both included (--op-types) and excluded (--exclude-op-types).");
        }

        return errors;
    }
}
