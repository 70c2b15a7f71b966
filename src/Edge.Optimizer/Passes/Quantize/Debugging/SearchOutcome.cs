using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Passes.Quantize.Debugging;

/// <summary>What the accuracy search found: the best model, its evaluation, the layers it keeps float, every step, and why.</summary>
internal sealed record SearchOutcome(
    StaticQuantizationResult Best,
    EvaluationResult Evaluation,
    IReadOnlyList<string> FloatLayers,
    IReadOnlyList<SearchStep> Steps,
    bool TargetMet,
    string Explanation);

/// <summary>One evaluated candidate: the layers kept float and what it scored.</summary>
internal sealed record SearchStep(IReadOnlyList<string> FloatLayers, double DropPoints, double? Top1, double? Top1Agreement);
