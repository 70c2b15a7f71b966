namespace Edge.Agent.Ota.Transfer;

/// <summary><c>budget.json</c>: bytes downloaded on one UTC day.</summary>
internal sealed record DataBudgetState(DateOnly Day, long UsedBytes);
