namespace Edge.Optimizer.Inspection;

/// <summary>A node whose MACs could not be estimated, and why.</summary>
internal sealed record UnknownMacs(string Node, string OpType, string Reason);
