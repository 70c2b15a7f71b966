namespace Edge.Protocol;

/// <summary>One periodic sample: the <c>data</c> of a telemetry record (docs/protocol.md).</summary>
public sealed record TelemetrySample
{
    /// <summary>The record kind; <c>sample</c> for periodic samples.</summary>
    public string Kind { get; init; } = "sample";

    /// <summary>When the sample was taken (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Length of the interval the sample covers, in milliseconds.</summary>
    public required long IntervalMs { get; init; }

    /// <summary>System figures at sample time.</summary>
    public required SystemFigures System { get; init; }

    /// <summary>Inference figures over the interval, one entry per model, version and provider; empty when nothing ran.</summary>
    public required IReadOnlyList<InferenceFigures> Inference { get; init; }

    /// <summary>The store-and-forward queue at sample time.</summary>
    public required OutboxFigures Outbox { get; init; }

    /// <summary>The device app's own readings by name (Edge.Agent's <c>ITelemetryReadings</c>); absent when it has none.</summary>
    public IReadOnlyDictionary<string, double>? Readings { get; init; }

    /// <summary>A shadow evaluation's figures while an OTA job shadows a candidate (docs/ota.md); absent otherwise.</summary>
    public Ota.OtaShadowFigures? Shadow { get; init; }

    /// <summary>Drift of the served model's inputs and confidences from its package's reference (docs/agent.md, "Drift"); absent without a reference.</summary>
    public DriftFigures? Drift { get; init; }
}
