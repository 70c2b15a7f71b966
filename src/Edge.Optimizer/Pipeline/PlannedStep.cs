namespace Edge.Optimizer.Pipeline;

/// <summary>A recipe step checked and ready to run: its 1-based number, its pass and its typed options.</summary>
internal sealed record PlannedStep(int Index, IPassDefinition Pass, object Options);
