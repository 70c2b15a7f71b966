using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Passes.Quantize.Preparation;
using Edge.Optimizer.Pipeline;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Quantize;

/// <summary>
/// Post-training quantization: static int8 QDQ with calibration, dynamic int8, or fp16. Refuses models that are
/// already quantized or not float32, checks that every result passes the validator and runs in ONNX Runtime, and
/// reports size, latency (through the SDK, both models interleaved in one run), accuracy or agreement before and
/// after, the per-layer error table and the nodes left float. With nothing to quantize it warns and returns the model
/// unchanged.
/// </summary>
internal sealed partial class QuantizePass : IOptimizationPass<QuantizeOptions>
{
    public PassDescriptor Descriptor { get; } = new(
        "quantize",
        "Post-training quantization: static int8 QDQ with calibration, dynamic int8, or fp16.",
        NeedsData: true,
        Precisions: ["int8", "uint8", "fp16"],
        Targets: ["cpu", "cuda", "tensorrt"]);

    public IReadOnlyList<string> Validate(QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate();
    }

    public async Task<PassResult> RunAsync(OnnxModel input, QuantizeOptions options, PassContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid quantize options: {string.Join(" ", errors)}");
        }

        ModelChecks.EnsureNotQuantized(input.Proto);
        ModelChecks.EnsureFloat32(input.Proto, options.Mode);
        var spec = options.Preprocess is null ? null : await PreprocessSpec.FromFileAsync(options.Preprocess, cancellationToken);
        using var scratch = new ScratchDirectory("quantize");
        var run = new RunState(input, options, spec, context, scratch.FullName);
        run.Report["mode"] = options.Mode.ToString().ToLowerInvariant();
        run.Report["options"] = PassOptionsJson<QuantizeOptions>.ToJson(options);
        var changed = options.Mode switch
        {
            QuantizeMode.Static => RunStatic(run, cancellationToken),
            QuantizeMode.Dynamic => RunDynamic(run),
            _ => RunFp16(run),
        };

        if (!changed)
        {
            var warning = $"Nothing to quantize: the model has no node the {run.Report["mode"]} mode covers. It is written unchanged.";
            run.Warnings.Add(warning);
            context.Log.WriteLine($"warning: {warning}");
            run.Output = OnnxModel.FromProto(input.Proto.Clone(), input.ExternalDataDirectory);
        }

        run.Report["changed"] = changed;
        Measure(run, cancellationToken);
        run.Report["warnings"] = new JsonArray([.. run.Warnings.Select(w => (JsonNode)w)]);
        return new PassResult(run.Output!, run.Report, run.Warnings) { Comparison = run.Comparison };
    }

    /// <summary>Everything one run accumulates.</summary>
    private sealed class RunState(OnnxModel input, QuantizeOptions options, PreprocessSpec? spec, PassContext context, string folder)
    {
        public OnnxModel Input { get; } = input;

        public QuantizeOptions Options { get; } = options;

        public PreprocessSpec? Spec { get; } = spec;

        public PassContext Context { get; } = context;

        public string Folder { get; } = folder;

        public OnnxModel? Output { get; set; }

        public JsonObject Report { get; } = [];

        public List<string> Warnings { get; } = [];

        /// <summary>Set when the accuracy search already evaluated the result, so it is not evaluated twice.</summary>
        public Evaluation.EvaluationResult? FinalEvaluation { get; set; }

        public AccuracyRecovery.CandidateEvaluator? Evaluator { get; set; }

        /// <summary>The float32 model on disk: the input's own file when the pipeline has one, else a copy saved once.</summary>
        public string ReferencePath => Context.InputPath ?? Path.Combine(Folder, "float32.onnx");

        /// <summary>The typed before/after figures for the run's summary, filled as they are measured.</summary>
        public StepComparison Comparison { get; set; } = new();
    }
}
