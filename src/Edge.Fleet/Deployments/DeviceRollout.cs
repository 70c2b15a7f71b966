namespace Edge.Fleet.Deployments;

/// <summary>One device of a deployment: its wave, state (<see cref="RolloutStates"/> or an OTA state), reason and times.</summary>
internal sealed record DeviceRollout
{
    public required string Device { get; init; }

    public required int Wave { get; init; }

    public required string State { get; init; }

    public string? Reason { get; init; }

    /// <summary>Download progress 0-100 while downloading.</summary>
    public double? Progress { get; init; }

    /// <summary>The model version active before the job (from the device's report or status).</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>The job id last published to the device (the deployment's, or its rollback job's).</summary>
    public string? JobId { get; init; }

    /// <summary>When its job was published.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When it reached a terminal state (for a success: when the new version became active and committed).</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Samples the device's shadow compared so far (its latest report with shadow figures); null before any.</summary>
    public long? ShadowSamples { get; init; }

    /// <summary>Of <see cref="ShadowSamples"/>, those on which the candidate agreed with the served model.</summary>
    public long? ShadowAgreements { get; init; }

    /// <summary>The shadow's candidate p95 over served p95 (the report's <c>latencyRatio</c>); null until known.</summary>
    public double? ShadowP95Ratio { get; init; }
}
