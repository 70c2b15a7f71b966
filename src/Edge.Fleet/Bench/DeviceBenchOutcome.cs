namespace Edge.Fleet.Bench;

/// <summary>How one bench job on one device ended.</summary>
public sealed record DeviceBenchOutcome
{
    /// <summary>The device measured.</summary>
    public required string Device { get; init; }

    /// <summary>The bench job's id.</summary>
    public required string JobId { get; init; }

    /// <summary>The device's terminal report; null when it did not end the job within the timeout.</summary>
    public OtaJobStateReport? Report { get; init; }

    /// <summary>The measurement, when the job succeeded.</summary>
    public OtaBenchResult? Result => Report is { State: OtaJobStates.Succeeded } report ? report.Bench : null;

    /// <summary>Why there is no measurement: the device's reason, or the timeout's; null when there is one.</summary>
    public string? Problem { get; init; }
}
