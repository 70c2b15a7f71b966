namespace Edge.Protocol.Ota;

/// <summary>
/// Where a shadow evaluation stands (<see cref="OtaShadowRequest"/>): on the job's <c>health-checking</c> reports in
/// phase <c>shadow</c>, on its terminal report, and in telemetry samples while it runs. Counts survive agent restarts.
/// </summary>
public sealed record OtaShadowFigures
{
    /// <summary>How answers are compared: <c>classification</c> (top-1), <c>detection</c> (matched boxes) or <c>raw</c> (relative error).</summary>
    public required string Task { get; init; }

    /// <summary>Samples compared so far, candidate failures included.</summary>
    public long Samples { get; init; }

    /// <summary>Samples on which the candidate agreed with the served model.</summary>
    public long Agreements { get; init; }

    /// <summary><see cref="Agreements"/> over <see cref="Samples"/>, 0-1; null before the first sample.</summary>
    public double? Agreement { get; init; }

    /// <summary>Samples on which the candidate threw (each counted as a disagreement).</summary>
    public long CandidateErrors { get; init; }

    /// <summary>Nearest-rank p95 of the candidate's runs on the shadow worker, in ms; null before the first.</summary>
    public double? CandidateP95Ms { get; init; }

    /// <summary>Nearest-rank p95 of the app's calls to the served model during the shadow, in ms; null before the first.</summary>
    public double? ServingP95Ms { get; init; }

    /// <summary><see cref="CandidateP95Ms"/> over <see cref="ServingP95Ms"/>; null until both are known.</summary>
    public double? LatencyRatio { get; init; }

    /// <summary>The app's calls to the served model while shadowing.</summary>
    public long LiveCalls { get; init; }

    /// <summary>Calls chosen for the shadow (the requested fraction of the calls).</summary>
    public long Sampled { get; init; }

    /// <summary>Chosen calls dropped because the shadow queue was full (the app never waits for the shadow).</summary>
    public long Dropped { get; init; }

    /// <summary>Calls actually shadowed over <see cref="LiveCalls"/>: below the requested fraction when calls were dropped.</summary>
    public double? EffectiveSampleRate { get; init; }

    /// <summary>The samples that disagreed most, worst first (at most <see cref="MaxWorstExamples"/>).</summary>
    public IReadOnlyList<OtaShadowExample> WorstExamples { get; init; } = [];

    /// <summary>Largest number of <see cref="WorstExamples"/>.</summary>
    public const int MaxWorstExamples = 5;
}
