using Edge.Optimizer.Evaluation;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// What a pass measured itself, before and after, against its own input: the runner's summary uses it when the
/// recipe has no <c>measure</c> section. Null members were not measured.
/// </summary>
internal sealed record StepComparison
{
    /// <summary>Latency of the input, with its per-run samples.</summary>
    public LatencyStats? LatencyBefore { get; init; }

    /// <summary>Latency of the output, measured interleaved with the input's.</summary>
    public LatencyStats? LatencyAfter { get; init; }

    /// <summary>Top-1 accuracy of the input on the evaluation set, in [0, 1].</summary>
    public double? Top1Before { get; init; }

    /// <summary>Top-1 accuracy of the output, in [0, 1].</summary>
    public double? Top1After { get; init; }

    /// <summary>Share of samples where the output's top-1 class equals the input's, in [0, 1].</summary>
    public double? Agreement { get; init; }
}
