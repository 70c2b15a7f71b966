namespace Edge.Optimizer.Inspection;

/// <summary>How many nodes of one op type the model holds, across the main graph and all subgraphs.</summary>
internal sealed record OperatorCount(string Domain, string OpType, int Count);
