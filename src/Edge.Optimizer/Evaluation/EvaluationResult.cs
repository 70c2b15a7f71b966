namespace Edge.Optimizer.Evaluation;

/// <summary>
/// What an evaluation measured. Accuracy figures are null when the dataset has no labels; agreement figures are
/// null when there was neither a reference model nor stored reference outputs.
/// </summary>
public sealed record EvaluationResult
{
    public required int Samples { get; init; }

    public double? Top1 { get; init; }

    public double? Top5 { get; init; }

    /// <summary>Where the agreement figures come from: a reference model's name, or "stored outputs".</summary>
    public string? ReferenceName { get; init; }

    public double? Top1Agreement { get; init; }

    public double? MaxAbsoluteError { get; init; }

    public double? MeanAbsoluteError { get; init; }

    public required TimeSpan Duration { get; init; }
}
