namespace Edge.Packaging;

/// <summary>
/// What one hardware class measured: the package's model and a baseline run side by side in the same run, on one
/// device of the class (<c>device:{id}</c>) or on the packaging machine (<c>local</c>). Latencies are milliseconds
/// per inference.
/// </summary>
public sealed class PackagePassportEntry
{
    /// <summary>
    /// The most a <see cref="LatencyRatio"/> may differ from <see cref="P50Ms"/> / <see cref="BaselineP50Ms"/>,
    /// relative to that quotient (0.1 %), so a writer may round the ratio.
    /// </summary>
    public const double RatioTolerance = 1e-3;

    /// <summary>The hardware class measured.</summary>
    public PackageHardwareClass Hardware { get; init; } = new();

    /// <summary>Where it was measured: <c>device:{id}</c> for a fleet device, <c>local</c> for the packaging machine. Non-empty.</summary>
    public string Source { get; init; } = "";

    /// <summary>When the measurement ended, in UTC.</summary>
    public DateTimeOffset MeasuredUtc { get; init; }

    /// <summary>Median latency of the package's model, milliseconds, finite and greater than zero.</summary>
    public double P50Ms { get; init; }

    /// <summary>95th-percentile latency of the package's model, milliseconds, finite, at least <see cref="P50Ms"/>.</summary>
    public double P95Ms { get; init; }

    /// <summary>
    /// The model the package was compared with, by name and version: on a device, the model the device served; for a
    /// local measurement, the original model.
    /// </summary>
    public PackageReference Baseline { get; init; } = new();

    /// <summary>Median latency of the baseline, milliseconds, finite and greater than zero.</summary>
    public double BaselineP50Ms { get; init; }

    /// <summary>95th-percentile latency of the baseline, milliseconds, finite, at least <see cref="BaselineP50Ms"/>.</summary>
    public double BaselineP95Ms { get; init; }

    /// <summary>
    /// <see cref="P50Ms"/> / <see cref="BaselineP50Ms"/>: below 1 the package's model is faster than the baseline on
    /// this class, above 1 slower. Within <see cref="RatioTolerance"/> of that quotient.
    /// </summary>
    public double LatencyRatio { get; init; }

    /// <summary>Accuracy of the package's model against the baseline, or null when not measured.</summary>
    public PackagePassportAccuracy? Accuracy { get; init; }
}
