namespace Edge.Protocol;

/// <summary>
/// The <c>drift</c> section of a telemetry sample (docs/protocol.md, "Telemetry"): how far the served model's recent
/// inputs and output confidences are from the statistics its package recorded over a reference dataset
/// (docs/agent.md, "Drift"). Present while the served package carries a drift reference; absent otherwise.
/// </summary>
public sealed record DriftFigures
{
    /// <summary>The served package's name.</summary>
    public required string Model { get; init; }

    /// <summary>The version of the package whose reference the window is compared with.</summary>
    public required string ReferenceVersion { get; init; }

    /// <summary>The configured window: the most recent sampled calls the figures cover at most.</summary>
    public int Window { get; init; }

    /// <summary>Sampled calls in the window now, 0 to <see cref="Window"/>; the distances are null at 0.</summary>
    public int Samples { get; init; }

    /// <summary>
    /// The largest per-channel Kullback-Leibler divergence, in nats, of the window's Gaussian from the reference's,
    /// over every input and channel (0 for identical moments); null before the first sample or without float inputs.
    /// </summary>
    public double? InputDistance { get; init; }

    /// <summary>The input whose channel gave <see cref="InputDistance"/>; null with it.</summary>
    public string? Input { get; init; }

    /// <summary>The channel (index on axis 1, or 0 for a whole tensor) that gave <see cref="InputDistance"/>; null with it.</summary>
    public int? Channel { get; init; }

    /// <summary>
    /// Population stability index of the window's confidence histogram against the reference's (below 0.1 stable,
    /// 0.1-0.25 moderate, above 0.25 significant); null before the first sample or for raw outputs.
    /// </summary>
    public double? ConfidencePsi { get; init; }

    /// <summary>Calls chosen for the window since the served model was loaded.</summary>
    public long Sampled { get; init; }

    /// <summary>Chosen calls dropped because the drift queue was full (the app never waits for drift statistics).</summary>
    public long Dropped { get; init; }
}
