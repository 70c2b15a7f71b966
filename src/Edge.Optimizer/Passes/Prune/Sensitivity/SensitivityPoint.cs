namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>The accuracy measured with one unit pruned at one ratio and everything else whole.</summary>
/// <param name="Ratio">Fraction of the unit removed.</param>
/// <param name="Score">Accuracy in percent (top-1, or top-1 agreement with the original without labels).</param>
/// <param name="Drop">Percentage points lost against the unpruned model.</param>
internal sealed record SensitivityPoint(double Ratio, double Score, double Drop);
