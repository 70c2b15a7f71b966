using Edge.Onnx;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>Everything one training run uses. The teacher is null when training on labels alone (the bench's wider MNIST teacher).</summary>
internal sealed record TrainingSetup(
    OnnxModel Student,
    TeacherRunner? Teacher,
    TrainingSet Data,
    DistillOptions Options,
    string Fingerprint,
    Func<OnnxModel, CancellationToken, (double? Accuracy, double? Agreement)>? Evaluate,
    PassContext Context)
{
    /// <summary>
    /// Test seam for fault injection: when it returns true for (epoch, step), that step's loss is multiplied by NaN
    /// before backward, as a diverging step would be. Null in every real run.
    /// </summary>
    public Func<int, long, bool>? NonFiniteLossAt { get; init; }
}
