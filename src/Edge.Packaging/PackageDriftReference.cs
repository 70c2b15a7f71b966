namespace Edge.Packaging;

/// <summary>
/// The manifest's optional <c>driftReference</c>: statistics of the model's inputs and output confidences over a
/// reference dataset (the calibration or evaluation data), against which a device compares what it sees in the field
/// (docs/package-format.md, "Drift reference"; docs/agent.md, "Drift"). Signed with the rest of the manifest; a
/// package without it is valid and simply not watched for drift.
/// </summary>
public sealed class PackageDriftReference
{
    /// <summary>Largest number of entries in <see cref="Inputs"/>.</summary>
    public const int MaxInputs = 16;

    /// <summary>
    /// What the output confidence is: <see cref="DriftStatistics.Classification"/> (top-1 probability),
    /// <see cref="DriftStatistics.Detection"/> (highest box score) or <see cref="DriftStatistics.Raw"/> (none).
    /// </summary>
    public string Task { get; init; } = "";

    /// <summary>Samples of the reference dataset the statistics cover; at least 1.</summary>
    public long Samples { get; init; }

    /// <summary>Per-channel moments of each float input, in model-input order; at most <see cref="MaxInputs"/>.</summary>
    public IReadOnlyList<PackageDriftInput> Inputs { get; init; } = [];

    /// <summary>
    /// Fraction of the reference samples whose confidence fell in each of the <see cref="DriftStatistics.ConfidenceBins"/>
    /// equal bins on [0, 1] (<see cref="DriftStatistics.ConfidenceBin"/>), summing to 1; null for a raw task.
    /// </summary>
    public IReadOnlyList<double>? Confidence { get; init; }
}
