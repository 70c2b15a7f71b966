namespace Edge.Fleet.Storage.Postgres;

/// <summary>
/// Transaction-scoped advisory locks (<c>pg_advisory_xact_lock(Space, key)</c>) that serialize the few operations two
/// edge-fleet instances must not interleave. Each is released when its transaction ends.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>The first key of every edge-fleet lock ("EDGE" in ASCII), so other applications' locks do not collide.</summary>
    public const int Space = 0x45444745;

    /// <summary>Applying migrations.</summary>
    public const int Migrations = 1;

    /// <summary>Creating and dropping telemetry partitions.</summary>
    public const int Partitions = 2;

    /// <summary>Checking devices for open jobs and creating a deployment.</summary>
    public const int Deployments = 3;

    /// <summary>The SQL that takes lock <paramref name="key"/> in the current transaction.</summary>
    public static string Take(int key) => $"SELECT pg_advisory_xact_lock({Space}, {key})";
}
