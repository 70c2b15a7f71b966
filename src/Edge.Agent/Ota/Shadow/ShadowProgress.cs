namespace Edge.Agent.Ota.Shadow;

/// <summary>
/// A shadow evaluation's counts as journaled with its job (<see cref="Jobs.JobRecord.Shadow"/>), so a restart resumes
/// counting where it stopped. Latencies keep the most recent <see cref="MaxKeptDurations"/> of each side.
/// </summary>
internal sealed record ShadowProgress
{
    /// <summary>Durations kept per side in the journal.</summary>
    public const int MaxKeptDurations = 2048;

    public required string Task { get; init; }

    public long Samples { get; init; }

    public long Agreements { get; init; }

    public long CandidateErrors { get; init; }

    public long LiveCalls { get; init; }

    public long Sampled { get; init; }

    public long Dropped { get; init; }

    /// <summary>Seconds spent shadowing across restarts, against <see cref="OtaShadowRequest.TimeoutSeconds"/>.</summary>
    public double ElapsedSeconds { get; init; }

    public IReadOnlyList<double> CandidateMs { get; init; } = [];

    public IReadOnlyList<double> ServingMs { get; init; } = [];

    public IReadOnlyList<OtaShadowExample> Worst { get; init; } = [];

    /// <summary>The figures reported for these counts.</summary>
    public OtaShadowFigures ToFigures()
    {
        double? candidate = CandidateMs.Count > 0 ? Math.Round(Health.LatencyComparison.P95([.. CandidateMs]), 4) : null;
        double? serving = ServingMs.Count > 0 ? Math.Round(Health.LatencyComparison.P95([.. ServingMs]), 4) : null;
        return new OtaShadowFigures
        {
            Task = Task,
            Samples = Samples,
            Agreements = Agreements,
            Agreement = Samples > 0 ? Math.Round((double)Agreements / Samples, 6) : null,
            CandidateErrors = CandidateErrors,
            CandidateP95Ms = candidate,
            ServingP95Ms = serving,
            LatencyRatio = candidate is { } c && serving is > 0 and { } s ? Math.Round(c / s, 4) : null,
            LiveCalls = LiveCalls,
            Sampled = Sampled,
            Dropped = Dropped,
            EffectiveSampleRate = LiveCalls > 0 ? Math.Round((double)(Sampled - Dropped) / LiveCalls, 6) : null,
            WorstExamples = Worst,
        };
    }
}
