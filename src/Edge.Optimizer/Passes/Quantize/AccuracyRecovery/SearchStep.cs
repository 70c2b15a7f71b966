namespace Edge.Optimizer.Passes.Quantize.AccuracyRecovery;

/// <summary>One evaluated candidate: the layers kept float and what it scored.</summary>
internal sealed record SearchStep(IReadOnlyList<string> FloatLayers, double DropPoints, double? Top1, double? Top1Agreement);
