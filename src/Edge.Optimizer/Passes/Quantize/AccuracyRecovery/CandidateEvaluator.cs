using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Quantize.AccuracyRecovery;

/// <summary>
/// Evaluates quantized candidates against the float32 model through the SDK on the evaluation set: top-1 where the
/// set has labels, and top-1 agreement with the float32 model always. The accuracy drop is in points of top-1, or of
/// agreement when there are no labels.
/// </summary>
internal sealed class CandidateEvaluator
{
    private readonly string _folder;
    private readonly string _referencePath;
    private readonly IDataset _dataset;
    private readonly PreprocessSpec? _spec;
    private readonly int _threads;
    private int _candidates;

    public CandidateEvaluator(string folder, string referencePath, IDataset dataset, PreprocessSpec? spec, int threads)
    {
        _folder = folder;
        _referencePath = referencePath;
        _dataset = dataset;
        _spec = spec;
        _threads = threads;
    }

    /// <summary>The float32 model's own figures (agreement with itself is 1 by definition and not measured).</summary>
    public EvaluationResult? Baseline { get; private set; }

    public string DatasetName => _dataset.Spec.ToString();

    public EvaluationResult EvaluateBaseline(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        Baseline = ModelEvaluator.Evaluate(_referencePath, _dataset, _spec, null, Options, progress, cancellationToken);
        return Baseline;
    }

    public EvaluationResult Evaluate(OnnxModel candidate, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var path = Path.Combine(_folder, $"candidate-{++_candidates}.onnx");
        OnnxModel.FromProto(candidate.Proto, candidate.ExternalDataDirectory).Save(path);
        try
        {
            return ModelEvaluator.Evaluate(path, _dataset, _spec, _referencePath, Options, progress, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Points lost against the float32 baseline: top-1 when both have it, otherwise 100 x (1 - agreement).</summary>
    public double Drop(EvaluationResult candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (Baseline?.Top1 is { } before && candidate.Top1 is { } after)
        {
            return (before - after) * 100;
        }

        return (1 - (candidate.Top1Agreement ?? 0)) * 100;
    }

    public string DropMetric => Baseline?.Top1 is not null ? "top-1 accuracy" : "top-1 agreement with float32";

    private EdgeSessionOptions Options() => CpuSessionOptions.For(_threads)();
}
