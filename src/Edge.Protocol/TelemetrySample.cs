namespace Edge.Protocol;

/// <summary>One periodic sample: the <c>data</c> of a telemetry record (docs/protocol.md).</summary>
internal sealed record TelemetrySample
{
    public string Kind { get; init; } = "sample";

    public required DateTimeOffset Timestamp { get; init; }

    public required long IntervalMs { get; init; }

    public required SystemFigures System { get; init; }

    public required IReadOnlyList<InferenceFigures> Inference { get; init; }

    public required OutboxFigures Outbox { get; init; }

    /// <summary>The device app's own readings by name (Edge.Agent's <c>ITelemetryReadings</c>); absent when it has none.</summary>
    public IReadOnlyDictionary<string, double>? Readings { get; init; }
}
