namespace Edge.Fleet.Monitoring;

/// <summary>Everything the dashboard shows at one instant; <see cref="MonitorRenderer"/> is a pure function of it.</summary>
internal sealed record MonitorSnapshot
{
    public required string Fleet { get; init; }

    public string? Group { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>"connected", or the broker connection's latest problem.</summary>
    public string Broker { get; init; } = "connected";

    public required IReadOnlyList<DeviceSnapshot> Devices { get; init; }

    public long MessagesIngested { get; init; }

    public long RecordsIngested { get; init; }

    public long Duplicates { get; init; }

    public long MalformedMessages { get; init; }

    /// <summary>The latest malformed messages, newest last: device and reason.</summary>
    public IReadOnlyList<MalformedTelemetry> RecentMalformed { get; init; } = [];
}
