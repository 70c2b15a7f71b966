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

    /// <summary>The package file's SHA-256 (lower-case hex), by which the store keeps a copy; null for older deployments.</summary>
    public string? PackageSha256 { get; init; }

    /// <summary>The rollback package's SHA-256, when the deployment has one.</summary>
    public string? RollbackSha256 { get; init; }

    /// <summary>Who drives the deployment now (<see cref="DeploymentLease.Owner"/>), or null when nobody holds its lease.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the holder's lease runs out unless renewed (by the database's clock on PostgreSQL).</summary>
    public DateTimeOffset? LeaseExpires { get; init; }
}
