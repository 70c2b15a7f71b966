namespace Edge.Optimizer.Search;

/// <summary>The search's answer and everything it measured on the way.</summary>
/// <param name="Options">What was asked.</param>
/// <param name="Outcomes">Every candidate, the original first, in the order tried.</param>
/// <param name="Chosen">The candidate written to the output.</param>
/// <param name="Why">One sentence: why this candidate, with the figures.</param>
/// <param name="CalibrationSet">The calibration samples.</param>
/// <param name="JudgingSet">The samples accuracy was judged on (never the calibration ones).</param>
/// <param name="Seconds">Wall time of the whole search.</param>
internal sealed record AutoResult(AutoOptions Options, IReadOnlyList<CandidateOutcome> Outcomes, CandidateOutcome Chosen, string Why, string CalibrationSet, string JudgingSet, double Seconds)
{
    /// <summary>How accuracy was judged for this model: top-1, box agreement through a decoder, or raw agreement.</summary>
    public string Judged { get; init; } = "";

    /// <summary>Where latency was measured: <c>this machine</c>, <c>device:ID</c>, <c>group:NAME</c>, or this machine as a fallback, with why.</summary>
    public string LatencySource { get; init; } = "this machine";

    /// <summary>What the user should know about the measurement: devices left out or unreachable, and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
