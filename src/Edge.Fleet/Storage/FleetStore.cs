using Edge.Fleet.Storage.Postgres;
using Edge.Fleet.Storage.Sqlite;

namespace Edge.Fleet.Storage;

/// <summary>Opens the state store a <see cref="StoreSpec"/> names.</summary>
internal static class FleetStore
{
    /// <summary>Opens (creating or migrating as needed) the store; the caller disposes it.</summary>
    /// <exception cref="InvalidDataException">The SQLite file cannot be used, or either store's schema is newer than this edge-fleet.</exception>
    /// <exception cref="StoreUnavailableException">The PostgreSQL server cannot be reached or refuses the connection.</exception>
    public static Task<IFleetStore> OpenAsync(StoreSpec spec, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(spec, time, new TelemetryRetention(), cancellationToken);

    /// <summary>Opens the store with telemetry kept as <paramref name="retention"/> says (what <c>serve</c>'s pruning applies).</summary>
    /// <exception cref="ArgumentException"><paramref name="retention"/> is invalid.</exception>
    public static async Task<IFleetStore> OpenAsync(StoreSpec spec, TimeProvider time, TelemetryRetention retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(retention);
        if (retention.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(retention));
        }

        return spec.Kind switch
        {
            StoreKind.Sqlite => new SqliteFleetStore(await FleetDatabase.OpenAsync(spec.Target, cancellationToken), time, retention),
            StoreKind.Postgres => new PostgresFleetStore(await PostgresDatabase.OpenAsync(spec.Target, time, cancellationToken), time, retention),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown store kind."),
        };
    }
}
