namespace Edge.Protocol;

/// <summary>Retained status message, schema <c>edge.status/1</c> (docs/protocol.md).</summary>
public sealed record StatusPayload
{
    /// <summary>Always <see cref="ProtocolSchemas.Status"/>.</summary>
    public string Schema { get; init; } = ProtocolSchemas.Status;

    /// <summary><c>online</c> or <c>offline</c>.</summary>
    public required string State { get; init; }

    /// <summary>The device's fleet id (one topic level).</summary>
    public required string Fleet { get; init; }

    /// <summary>The device id (one topic level).</summary>
    public required string Device { get; init; }

    /// <summary>Why the device is offline: <c>shutdown</c> or <c>connection-lost</c> (the Last Will).</summary>
    public string? Reason { get; init; }

    /// <summary>When the status was written (UTC); null in a Last Will, which the broker sends later.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>What the device is and serves; present in the online status, absent when offline.</summary>
    public DeviceFacts? Facts { get; init; }

    /// <summary>The telemetry sampling interval in milliseconds (100 to 86,400,000); null when offline.</summary>
    public long? TelemetryIntervalMs { get; init; }

    /// <summary>The store-and-forward queue when the status was written; null when unknown.</summary>
    public OutboxFigures? Outbox { get; init; }
}
