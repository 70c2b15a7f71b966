namespace Edge.Protocol.Ota;

/// <summary>
/// Asks an install job to shadow its candidate before promoting it (docs/ota.md, "Shadow evaluation"): after staging
/// and the golden gate, the device runs the candidate beside the served model on a sampled fraction of the app's live
/// calls (same input, on a background worker that never makes the app wait) and compares their answers by the
/// package's task. The job promotes only after <see cref="MinSamples"/> compared samples with agreement at least
/// <see cref="MinAgreement"/> and the candidate's p95 within <see cref="MaxLatencyRatio"/> of the served model's;
/// otherwise it ends <c>rolled-back</c> with the figures and the worst samples, and the served model never stops serving.
/// </summary>
public sealed record OtaShadowRequest
{
    /// <summary>The fraction of the app's calls that are also run on the candidate, greater than 0 and at most 1. Default 0.1.</summary>
    public double SampleFraction { get; init; } = 0.1;

    /// <summary>Compared samples needed before the job decides, <see cref="MinSamplesLimit"/>-<see cref="MaxSamplesLimit"/>. Default 500.</summary>
    public int MinSamples { get; init; } = 500;

    /// <summary>Lowest share of samples on which the candidate agrees with the served model, 0-1. Default 0.98.</summary>
    public double MinAgreement { get; init; } = 0.98;

    /// <summary>
    /// Highest candidate p95 over served p95, both over the app's load during the shadow (the candidate's runs timed on
    /// the shadow worker, the served model's on the app's calls), a finite number of at least 1. Default 1.5.
    /// </summary>
    public double MaxLatencyRatio { get; init; } = 1.5;

    /// <summary>
    /// Seconds the shadow may take, 1-<see cref="MaxTimeoutSeconds"/>: when they pass with fewer than
    /// <see cref="MinSamples"/> samples (too little traffic, or a queue that is always full), the candidate is rejected
    /// and the report says why. Default 3600.
    /// </summary>
    public double TimeoutSeconds { get; init; } = 3600;

    /// <summary>
    /// For raw-tensor models: a sample agrees when the largest absolute difference over the output, divided by the
    /// served output's largest absolute value, is at most this, 0-1 exclusive of 0. Default 0.01.
    /// </summary>
    public double RelativeErrorTolerance { get; init; } = 0.01;

    /// <summary>Smallest <see cref="MinSamples"/>.</summary>
    public const int MinSamplesLimit = 1;

    /// <summary>Largest <see cref="MinSamples"/>.</summary>
    public const int MaxSamplesLimit = 1_000_000;

    /// <summary>Largest <see cref="TimeoutSeconds"/>: seven days.</summary>
    public const double MaxTimeoutSeconds = 7 * 24 * 3600;
}
