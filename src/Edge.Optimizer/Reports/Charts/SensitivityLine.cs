namespace Edge.Optimizer.Reports.Charts;

/// <summary>The sensitivity curve of one prunable unit (a layer or a group of coupled layers).</summary>
/// <param name="Unit">The unit's label, shown in the legend.</param>
/// <param name="Points">Measured points, in the order they are joined (normally rising ratio).</param>
internal sealed record SensitivityLine(string Unit, IReadOnlyList<RatioDrop> Points);
