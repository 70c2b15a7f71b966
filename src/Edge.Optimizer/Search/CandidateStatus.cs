namespace Edge.Optimizer.Search;

/// <summary>How far a candidate got in the search.</summary>
internal enum CandidateStatus
{
    /// <summary>Accurate enough, and its latency was measured beside the original's.</summary>
    Measured,

    /// <summary>Lost more accuracy than allowed; dropped before latency was measured.</summary>
    TooInaccurate,

    /// <summary>Could not be built or run (the reason says why); the search went on.</summary>
    Failed,

    /// <summary>Not built: the time budget was spent.</summary>
    OverBudget,

    /// <summary>Not built: it does not fit the model or the target (the reason says why).</summary>
    Skipped,
}
