namespace Edge.Optimizer.Reports.Charts;

/// <summary>One measured point of a prune sensitivity curve.</summary>
/// <param name="Ratio">Pruned fraction of the unit, 0 to 1.</param>
/// <param name="DropPoints">Accuracy drop against the unpruned model, in percentage points (negative when accuracy rose).</param>
internal sealed record RatioDrop(double Ratio, double DropPoints);
