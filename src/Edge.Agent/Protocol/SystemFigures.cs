namespace Edge.Agent.Protocol;

/// <summary>System figures; each is null when the platform does not expose it.</summary>
internal sealed record SystemFigures
{
    public double? CpuPercent { get; init; }

    public long? MemoryTotalBytes { get; init; }

    public long? MemoryAvailableBytes { get; init; }

    public double? TemperatureCelsius { get; init; }

    public long? DiskTotalBytes { get; init; }

    public long? DiskAvailableBytes { get; init; }

    public double? UptimeSeconds { get; init; }

    /// <summary>True when the board reports current under-voltage, frequency capping or thermal throttling.</summary>
    public bool? Throttled { get; init; }

    /// <summary>The raw throttling flags where the board reports them (Raspberry Pi <c>get_throttled</c>).</summary>
    public string? ThrottleFlags { get; init; }
}
