namespace Edge.Agent.Protocol;

/// <summary>Retained status message, schema <c>edge.status/1</c> (docs/protocol.md).</summary>
internal sealed record StatusPayload
{
    public string Schema { get; init; } = ProtocolSchemas.Status;

    /// <summary><c>online</c> or <c>offline</c>.</summary>
    public required string State { get; init; }

    public required string Fleet { get; init; }

    public required string Device { get; init; }

    /// <summary>Why the device is offline: <c>shutdown</c> or <c>connection-lost</c> (the Last Will).</summary>
    public string? Reason { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public DeviceFacts? Facts { get; init; }

    public long? TelemetryIntervalMs { get; init; }

    public OutboxFigures? Outbox { get; init; }
}
