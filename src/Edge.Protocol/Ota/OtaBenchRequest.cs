namespace Edge.Protocol.Ota;

/// <summary>
/// Makes a job a measurement instead of an install (docs/ota.md, "Bench jobs"): the device downloads and verifies
/// the package as for an install (a signed package only, even where unsigned installs are allowed), times its model
/// beside the model it serves, reports the figures in the terminal state report's <see cref="OtaJobStateReport.Bench"/>
/// and deletes it. Nothing is installed, the served model keeps serving, and no version rule applies.
/// </summary>
public sealed record OtaBenchRequest
{
    /// <summary>The most timed runs per model, <see cref="MinRuns"/>-<see cref="MaxRuns"/>. Default 100.</summary>
    public int Runs { get; init; } = 100;

    /// <summary>Untimed runs per model before timing, 0-<see cref="MaxWarmupRuns"/>. Default 10.</summary>
    public int WarmupRuns { get; init; } = 10;

    /// <summary>
    /// Time bound of the timed runs in seconds, 1-<see cref="MaxSecondsLimit"/>: when it passes, the bench ends with
    /// the runs it has (at least <see cref="MinRuns"/>) and says so. Default 120.
    /// </summary>
    public double MaxSeconds { get; init; } = 120;

    /// <summary>Smallest <see cref="Runs"/>.</summary>
    public const int MinRuns = 5;

    /// <summary>Largest <see cref="Runs"/>.</summary>
    public const int MaxRuns = 10_000;

    /// <summary>Largest <see cref="WarmupRuns"/>.</summary>
    public const int MaxWarmupRuns = 1_000;

    /// <summary>Largest <see cref="MaxSeconds"/>: one hour.</summary>
    public const double MaxSecondsLimit = 3600;
}
