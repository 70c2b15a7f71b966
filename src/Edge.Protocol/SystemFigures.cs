namespace Edge.Protocol;

/// <summary>System figures; each is null when the platform does not expose it.</summary>
public sealed record SystemFigures
{
    /// <summary>Busy share of all cores since the previous sample, 0-100.</summary>
    public double? CpuPercent { get; init; }

    /// <summary>Installed memory in bytes.</summary>
    public long? MemoryTotalBytes { get; init; }

    /// <summary>Memory available to new work in bytes (Linux <c>MemAvailable</c>).</summary>
    public long? MemoryAvailableBytes { get; init; }

    /// <summary>SoC temperature in degrees Celsius.</summary>
    public double? TemperatureCelsius { get; init; }

    /// <summary>Size in bytes of the file system holding the agent's data.</summary>
    public long? DiskTotalBytes { get; init; }

    /// <summary>Free bytes on that file system available to the agent.</summary>
    public long? DiskAvailableBytes { get; init; }

    /// <summary>Seconds since the system booted.</summary>
    public double? UptimeSeconds { get; init; }

    /// <summary>True when the board reports current under-voltage, frequency capping or thermal throttling.</summary>
    public bool? Throttled { get; init; }

    /// <summary>The raw throttling flags where the board reports them (Raspberry Pi <c>get_throttled</c>).</summary>
    public string? ThrottleFlags { get; init; }
}
