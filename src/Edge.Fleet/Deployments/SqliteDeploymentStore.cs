using System.Globalization;
using System.Text.Json;
using Edge.Fleet.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Deployments;

/// <summary>Deployments and their per-device state in the SQLite state file.</summary>
internal sealed partial class SqliteDeploymentStore : DeploymentStore
{
    private const string Columns =
        "id, package_path, package_name, package_version, group_name, options_json, state, reason, current_wave, wave_state, wave_changed, created, updated, "
        + "package_sha256, rollback_sha256, lease_owner, lease_expires";

    private readonly FleetDatabase _database;

    public SqliteDeploymentStore(FleetDatabase database, TimeProvider time)
        : base(time) => _database = database;

    public override Task CreateAsync(DeploymentRecord deployment, IReadOnlyList<(string Device, int Wave, string? PreviousVersion)> devices, DeploymentLease? lease, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            var conflicts = new List<(string, string)>();
            using (var command = FleetDatabase.Command(connection,
                $"SELECT device, deployment FROM deployment_devices WHERE state IN ({RolloutStates.OpenSqlList}) ORDER BY device", transaction))
            using (var reader = command.ExecuteReader())
            {
                var wanted = devices.Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
                while (reader.Read())
                {
                    if (wanted.Contains(reader.GetString(0)))
                    {
                        conflicts.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }
            }

            if (conflicts.Count > 0)
            {
                throw new DeploymentConflictException(conflicts);
            }

            var now = StoredTime.ToText(Time.GetUtcNow());
            FleetDatabase.Execute(connection, """
                INSERT INTO deployments(id, package_path, package_name, package_version, group_name, options_json, state, reason, current_wave, wave_state, wave_changed, created, updated,
                    package_sha256, rollback_sha256, lease_owner, lease_expires)
                VALUES ($id, $path, $name, $version, $group, $options, $state, $reason, 0, $wave_state, $now, $now, $now, $sha, $rb_sha, $owner, $expires)
                """, transaction,
                ("$sha", deployment.PackageSha256), ("$rb_sha", deployment.RollbackSha256), ("$owner", lease?.Owner),
                ("$expires", lease is null ? null : StoredTime.ToText(Time.GetUtcNow() + lease.Ttl)),
                ("$id", deployment.Id), ("$path", deployment.PackagePath), ("$name", deployment.PackageName), ("$version", deployment.PackageVersion),
                ("$group", deployment.Group), ("$options", JsonSerializer.Serialize(deployment.Options, Json)), ("$state", deployment.State), ("$reason", deployment.Reason),
                ("$wave_state", RolloutStates.WaveRunning), ("$now", now));
            foreach (var (device, wave, previous) in devices)
            {
                FleetDatabase.Execute(connection, "INSERT INTO deployment_devices(deployment, device, wave, state, previous_version) VALUES ($id, $d, $w, $s, $p)",
                    transaction, ("$id", deployment.Id), ("$d", device), ("$w", wave), ("$s", RolloutStates.Pending), ("$p", previous));
            }

            AddEvent(connection, transaction, deployment.Id, CreatedEvent(deployment, devices));
            return 0;
        }, cancellationToken);

    public override Task<DeploymentRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync(connection =>
        {
            using var command = FleetDatabase.Command(connection,
                $"SELECT {Columns} FROM deployments WHERE id = $id",
                null, ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadDeployment(reader) : null;
        }, cancellationToken);

    public override Task<IReadOnlyList<DeploymentRecord>> ListAsync(CancellationToken cancellationToken) =>
        SelectAsync("ORDER BY created, id", cancellationToken);

    /// <summary>The deployments <c>SELECT … FROM deployments d</c> followed by <paramref name="tail"/> returns.</summary>
    private Task<IReadOnlyList<DeploymentRecord>> SelectAsync(string tail, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeploymentRecord>>(connection =>
        {
            using var command = FleetDatabase.Command(connection, $"SELECT {Columns} FROM deployments d {tail}");
            using var reader = command.ExecuteReader();
            var list = new List<DeploymentRecord>();
            while (reader.Read())
            {
                list.Add(ReadDeployment(reader));
            }

            return list;
        }, cancellationToken);

    public override Task<IReadOnlyList<DeviceRollout>> DevicesAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeviceRollout>>(connection =>
        {
            using var command = FleetDatabase.Command(connection,
                "SELECT device, wave, state, reason, progress, previous_version, job_id, started, finished, shadow_samples, shadow_agreements, shadow_p95_ratio FROM deployment_devices WHERE deployment = $id ORDER BY wave, device",
                null, ("$id", id));
            using var reader = command.ExecuteReader();
            var list = new List<DeviceRollout>();
            while (reader.Read())
            {
                list.Add(new DeviceRollout
                {
                    Device = reader.GetString(0),
                    Wave = reader.GetInt32(1),
                    State = reader.GetString(2),
                    Reason = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Progress = reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    PreviousVersion = reader.IsDBNull(5) ? null : reader.GetString(5),
                    JobId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Started = StoredTime.FromNullable(reader.IsDBNull(7) ? null : reader.GetString(7)),
                    Finished = StoredTime.FromNullable(reader.IsDBNull(8) ? null : reader.GetString(8)),
                    ShadowSamples = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    ShadowAgreements = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    ShadowP95Ratio = reader.IsDBNull(11) ? null : reader.GetDouble(11),
                });
            }

            return list;
        }, cancellationToken);

    public override Task<bool> UpdateDevicesAsync(string id, IReadOnlyCollection<DeviceRollout> devices, CancellationToken cancellationToken, string? leaseOwner = null) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            if (leaseOwner is not null && Convert.ToInt64(FleetDatabase.Scalar(connection,
                "SELECT COUNT(*) FROM deployments WHERE id = $id AND lease_owner = $owner AND lease_expires >= $now", transaction,
                ("$id", id), ("$owner", leaseOwner), ("$now", StoredTime.ToText(Time.GetUtcNow()))), CultureInfo.InvariantCulture) == 0)
            {
                return false;
            }

            foreach (var device in devices)
            {
                FleetDatabase.Execute(connection, """
                    UPDATE deployment_devices SET state = $s, reason = $r, progress = $p, previous_version = COALESCE($pv, previous_version),
                        job_id = $j, started = $st, finished = $f,
                        shadow_samples = $ss, shadow_agreements = $sa, shadow_p95_ratio = $sr WHERE deployment = $id AND device = $d
                    """, transaction,
                    ("$id", id), ("$d", device.Device), ("$s", device.State), ("$r", device.Reason), ("$p", device.Progress), ("$pv", device.PreviousVersion),
                    ("$j", device.JobId), ("$st", StoredTime.ToText(device.Started)), ("$f", StoredTime.ToText(device.Finished)),
                    ("$ss", device.ShadowSamples), ("$sa", device.ShadowAgreements), ("$sr", device.ShadowP95Ratio));
            }

            return true;
        }, cancellationToken);

    public override Task UpdateDeploymentAsync(string id, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => FleetDatabase.Execute(connection,
            "UPDATE deployments SET state = $s, reason = $r, current_wave = $w, wave_state = $ws, wave_changed = $wc, updated = $u WHERE id = $id", null,
            ("$id", id), ("$s", state), ("$r", reason), ("$w", wave), ("$ws", waveState), ("$wc", StoredTime.ToText(waveChanged)), ("$u", StoredTime.ToText(Time.GetUtcNow()))),
            cancellationToken);

    public override Task AddEventAsync(string id, string message, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => AddEvent(connection, null, id, message), cancellationToken);

    public override Task<IReadOnlyList<(DateTimeOffset At, string Message)>> EventsAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<(DateTimeOffset, string)>>(connection =>
        {
            using var command = FleetDatabase.Command(connection, "SELECT at, message FROM deployment_events WHERE deployment = $id ORDER BY id", null, ("$id", id));
            using var reader = command.ExecuteReader();
            var list = new List<(DateTimeOffset, string)>();
            while (reader.Read())
            {
                list.Add((StoredTime.FromText(reader.GetString(0)), reader.GetString(1)));
            }

            return list;
        }, cancellationToken);

    public override Task<IReadOnlyDictionary<string, string>> OpenJobsAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyDictionary<string, string>>(connection =>
        {
            using var command = FleetDatabase.Command(connection,
                $"SELECT device, deployment, state, progress FROM deployment_devices WHERE state IN ({RolloutStates.OpenSqlList}) AND state <> 'pending'");
            using var reader = command.ExecuteReader();
            var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                jobs[reader.GetString(0)] = OpenJob(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetDouble(3));
            }

            return jobs;
        }, cancellationToken);

    private int AddEvent(SqliteConnection connection, SqliteTransaction? transaction, string id, string message) =>
        FleetDatabase.Execute(connection, "INSERT INTO deployment_events(deployment, at, message) VALUES ($id, $at, $m)", transaction,
            ("$id", id), ("$at", StoredTime.ToText(Time.GetUtcNow())), ("$m", message));

    private static DeploymentRecord ReadDeployment(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        PackagePath = reader.GetString(1),
        PackageName = reader.GetString(2),
        PackageVersion = reader.GetString(3),
        Group = reader.GetString(4),
        Options = JsonSerializer.Deserialize<DeploymentOptions>(reader.GetString(5), Json)!,
        State = reader.GetString(6),
        Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
        CurrentWave = reader.GetInt32(8),
        WaveState = reader.IsDBNull(9) ? null : reader.GetString(9),
        WaveChanged = StoredTime.FromNullable(reader.IsDBNull(10) ? null : reader.GetString(10)),
        Created = StoredTime.FromText(reader.GetString(11)),
        Updated = StoredTime.FromText(reader.GetString(12)),
        PackageSha256 = reader.IsDBNull(13) ? null : reader.GetString(13),
        RollbackSha256 = reader.IsDBNull(14) ? null : reader.GetString(14),
        LeaseOwner = reader.IsDBNull(15) ? null : reader.GetString(15),
        LeaseExpires = StoredTime.FromNullable(reader.IsDBNull(16) ? null : reader.GetString(16)),
    };
}
