using Edge.Optimizer.Evaluation;

namespace Edge.Optimizer.Search;

/// <summary>What the search learned about one candidate. Null figures were not measured.</summary>
internal sealed record CandidateOutcome(Candidate Candidate, CandidateStatus Status)
{
    /// <summary>The candidate's model, kept in the search's folder.</summary>
    public string? Path { get; init; }

    public long? Bytes { get; init; }

    /// <summary>Top-1 on the judging samples, in [0, 1]; null without labels.</summary>
    public double? Top1 { get; init; }

    /// <summary>Share of judging samples whose top-1 equals the original's, in [0, 1].</summary>
    public double? Agreement { get; init; }

    /// <summary>Points lost against the original (top-1 with labels, else agreement).</summary>
    public double? DropPoints { get; init; }

    public LatencyStats? Latency { get; init; }

    /// <summary>p50 against the original's p50, measured side by side.</summary>
    public double? P50Ratio { get; init; }

    /// <summary>Why it failed or was skipped.</summary>
    public string? Reason { get; init; }

    /// <summary>Seconds spent building and judging it.</summary>
    public double Seconds { get; init; }
}
