namespace Edge.Fleet.Deployments;

/// <summary>A deployment as stored: what, where, with which rules, and how far it got.</summary>
internal sealed record DeploymentRecord
{
    public required string Id { get; init; }

    public required string PackagePath { get; init; }

    public required string PackageName { get; init; }

    public required string PackageVersion { get; init; }

    public required string Group { get; init; }

    public required DeploymentOptions Options { get; init; }

    public required string State { get; init; }

    public string? Reason { get; init; }

    /// <summary>0-based index of the wave in progress (or where it stopped).</summary>
    public int CurrentWave { get; init; }

    public string? WaveState { get; init; }

    /// <summary>When <see cref="WaveState"/> last changed: the soak's start, for a resumed soak.</summary>
    public DateTimeOffset? WaveChanged { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }
}
