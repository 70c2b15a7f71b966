using Edge.Fleet.Storage.Sqlite;

namespace Edge.Fleet.Deployments;

/// <summary>Leases and fenced writes on the SQLite state file, timed by this machine's clock (one file serves one machine).</summary>
internal sealed partial class SqliteDeploymentStore
{
    public override Task<bool> TryUpdateDeploymentAsync(string id, string expectedState, string? leaseOwner, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken) =>
        _database.RunAsync(connection =>
        {
            var now = StoredTime.ToText(Time.GetUtcNow());
            return FleetDatabase.Execute(connection, """
                UPDATE deployments SET state = $s, reason = $r, current_wave = $w, wave_state = $ws, wave_changed = $wc, updated = $u
                WHERE id = $id AND state = $expected AND ($owner IS NULL OR (lease_owner = $owner AND lease_expires >= $u))
                """, null,
                ("$id", id), ("$expected", expectedState), ("$owner", leaseOwner), ("$s", state), ("$r", reason), ("$w", wave), ("$ws", waveState),
                ("$wc", StoredTime.ToText(waveChanged)), ("$u", now)) == 1;
        }, cancellationToken);

    public override Task<bool> TryLeaseAsync(string id, DeploymentLease lease, CancellationToken cancellationToken) =>
        _database.RunAsync(connection =>
        {
            var now = Time.GetUtcNow();
            return FleetDatabase.Execute(connection, """
                UPDATE deployments SET lease_owner = $owner, lease_expires = $expires
                WHERE id = $id AND (lease_owner IS NULL OR lease_owner = $owner OR lease_expires < $now)
                """, null,
                ("$id", id), ("$owner", lease.Owner), ("$expires", StoredTime.ToText(now + lease.Ttl)), ("$now", StoredTime.ToText(now))) == 1;
        }, cancellationToken);

    public override Task ReleaseLeaseAsync(string id, string owner, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => FleetDatabase.Execute(connection,
            "UPDATE deployments SET lease_owner = NULL, lease_expires = NULL WHERE id = $id AND lease_owner = $owner", null, ("$id", id), ("$owner", owner)),
            cancellationToken);

    public override Task<IReadOnlyList<DeploymentRecord>> UnfinishedAsync(CancellationToken cancellationToken) =>
        SelectAsync($"""
            WHERE d.state IN ('{RolloutStates.Running}', '{RolloutStates.Paused}', '{RolloutStates.RollbackRequested}')
               OR EXISTS (SELECT 1 FROM deployment_devices x WHERE x.deployment = d.id AND x.state IN ({RolloutStates.OpenSqlList}) AND x.state <> 'pending')
            ORDER BY created, id
            """, cancellationToken);
}
