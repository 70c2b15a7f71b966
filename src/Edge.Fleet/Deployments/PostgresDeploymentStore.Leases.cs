using Edge.Fleet.Storage.Postgres;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Leases and fenced writes on PostgreSQL. Lease times come from the database's clock (<c>clock_timestamp()</c>), so
/// instances on machines whose clocks disagree still agree on when a lease ran out.
/// </summary>
internal sealed partial class PostgresDeploymentStore
{
    public override Task<bool> TryUpdateDeploymentAsync(string id, string expectedState, string? leaseOwner, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection => await PostgresDatabase.ExecuteAsync(connection, """
            UPDATE deployments SET state = @s, reason = @r, current_wave = @w, wave_state = @ws, wave_changed = @wc, updated = @u
            WHERE id = @id AND state = @expected AND (@owner::text IS NULL OR (lease_owner = @owner AND lease_expires >= clock_timestamp()))
            """, null, cancellationToken,
            ("id", id), ("expected", expectedState), ("owner", leaseOwner), ("s", state), ("r", reason), ("w", wave), ("ws", waveState),
            ("wc", waveChanged), ("u", Time.GetUtcNow())) == 1, cancellationToken);

    public override Task<bool> TryLeaseAsync(string id, DeploymentLease lease, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection => await PostgresDatabase.ExecuteAsync(connection, """
            UPDATE deployments SET lease_owner = @owner, lease_expires = clock_timestamp() + @ttl
            WHERE id = @id AND (lease_owner IS NULL OR lease_owner = @owner OR lease_expires < clock_timestamp())
            """, null, cancellationToken, ("id", id), ("owner", lease.Owner), ("ttl", lease.Ttl)) == 1, cancellationToken);

    public override Task ReleaseLeaseAsync(string id, string owner, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => PostgresDatabase.ExecuteAsync(connection,
            "UPDATE deployments SET lease_owner = NULL, lease_expires = NULL WHERE id = @id AND lease_owner = @owner", null, cancellationToken,
            ("id", id), ("owner", owner)), cancellationToken);

    public override Task<IReadOnlyList<DeploymentRecord>> UnfinishedAsync(CancellationToken cancellationToken) =>
        SelectAsync($"""
            WHERE d.state IN ('{RolloutStates.Running}', '{RolloutStates.Paused}', '{RolloutStates.RollbackRequested}')
               OR EXISTS (SELECT 1 FROM deployment_devices x WHERE x.deployment = d.id AND x.state IN ({RolloutStates.OpenSqlList}) AND x.state <> 'pending')
            ORDER BY created, id COLLATE "C"
            """, cancellationToken);
}
