namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>One unit's accuracy drop at each tried ratio.</summary>
internal sealed record SensitivityCurve(SensitivityUnit Unit, IReadOnlyList<SensitivityPoint> Points);
