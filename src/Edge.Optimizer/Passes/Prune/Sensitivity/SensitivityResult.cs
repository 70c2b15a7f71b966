namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>The curves, the per-unit ratios chosen from them, and what the combined choice measured.</summary>
/// <param name="BaseScore">Accuracy of the unpruned model in percent.</param>
/// <param name="Curves">One per unit.</param>
/// <param name="Ratios">Chosen ratio per unit key (0 for units left whole).</param>
/// <param name="AchievedSparsity">Size-weighted mean of the chosen ratios.</param>
/// <param name="FinalScore">Accuracy of the model pruned with all chosen ratios together.</param>
/// <param name="TargetMet">Whether the chosen ratios reach the requested sparsity within the accuracy budget.</param>
/// <param name="Note">How the choice went, in one sentence.</param>
internal sealed record SensitivityResult(
    double BaseScore,
    IReadOnlyList<SensitivityCurve> Curves,
    IReadOnlyDictionary<string, double> Ratios,
    double AchievedSparsity,
    double FinalScore,
    bool TargetMet,
    string Note);
