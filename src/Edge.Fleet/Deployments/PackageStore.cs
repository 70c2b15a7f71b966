namespace Edge.Fleet.Deployments;

/// <summary>
/// Copies of deployed packages, by SHA-256, so that whichever instance takes a deployment over can serve its chunks,
/// even on another machine where the operator's path does not exist. PostgreSQL keeps them
/// (<see cref="PostgresPackageStore"/>); a SQLite state file serves one machine, where the paths hold, and keeps none
/// (<see cref="LocalPackageStore"/>).
/// </summary>
internal abstract class PackageStore
{
    /// <summary>The largest package kept in the store: PostgreSQL's <c>bytea</c> holds at most 1 GiB.</summary>
    public const long MaxBytes = (1L << 30) - 1;

    /// <summary>Keeps a copy of the file at <paramref name="path"/> under <paramref name="sha256"/>; a package kept before is not copied again.</summary>
    /// <exception cref="ArgumentException">The file is larger than <see cref="MaxBytes"/>.</exception>
    public abstract Task SaveAsync(string sha256, string path, CancellationToken cancellationToken);

    /// <summary>Writes the kept copy to <paramref name="destination"/> (through a temporary file); false when the store has none.</summary>
    public abstract Task<bool> TryExtractAsync(string sha256, string destination, CancellationToken cancellationToken);
}
