using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Passes.Quantize.AccuracyRecovery;

/// <summary>What the accuracy search found: the best model, its evaluation, the layers it keeps float, every step, and why.</summary>
internal sealed record SearchOutcome(
    StaticQuantizationResult Best,
    EvaluationResult Evaluation,
    IReadOnlyList<string> FloatLayers,
    IReadOnlyList<SearchStep> Steps,
    bool TargetMet,
    string Explanation);
