namespace Edge.Fleet.Bench;

/// <summary>What <c>edge-fleet bench --json</c> writes: schema <c>edge.device-bench/v1</c>.</summary>
public sealed record DeviceBenchReport
{
    /// <summary>Always <c>edge.device-bench/v1</c>.</summary>
    public string Schema { get; init; } = "edge.device-bench/v1";

    /// <summary>The package measured.</summary>
    public required string Package { get; init; }

    /// <summary>One outcome per device.</summary>
    public required IReadOnlyList<DeviceBenchOutcome> Outcomes { get; init; }
}
