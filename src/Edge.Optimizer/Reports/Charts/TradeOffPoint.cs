namespace Edge.Optimizer.Reports.Charts;

/// <summary>One candidate on the latency-against-accuracy chart.</summary>
/// <param name="Name">The candidate's name.</param>
/// <param name="P50Ratio">p50 latency against the original's (1 = as fast), measured side by side.</param>
/// <param name="DropPoints">Accuracy lost against the original, in points (negative: gained).</param>
/// <param name="Chosen">Whether the search chose it.</param>
internal sealed record TradeOffPoint(string Name, double P50Ratio, double DropPoints, bool Chosen);
