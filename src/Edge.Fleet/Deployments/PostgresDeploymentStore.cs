using System.Text.Json;
using Edge.Fleet.Storage.Postgres;
using Npgsql;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Deployments and their per-device state in PostgreSQL. Creating one checks for open jobs and inserts under an
/// advisory lock, so two instances cannot both start a job on the same device.
/// </summary>
internal sealed partial class PostgresDeploymentStore : DeploymentStore
{
    private const string DeploymentColumns =
        "id, package_path, package_name, package_version, group_name, options_json::text, state, reason, current_wave, wave_state, wave_changed, created, updated, "
        + "package_sha256, rollback_sha256, lease_owner, lease_expires";

    private readonly PostgresDatabase _database;

    public PostgresDeploymentStore(PostgresDatabase database, TimeProvider time)
        : base(time) => _database = database;

    public override Task CreateAsync(DeploymentRecord deployment, IReadOnlyList<(string Device, int Wave, string? PreviousVersion)> devices, DeploymentLease? lease, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            await PostgresDatabase.ExecuteAsync(connection, AdvisoryLocks.Take(AdvisoryLocks.Deployments), transaction, cancellationToken);
            var conflicts = new List<(string, string)>();
            await using (var command = PostgresDatabase.Command(connection,
                $"SELECT device, deployment FROM deployment_devices WHERE state IN ({RolloutStates.OpenSqlList}) AND device = ANY(@devices) ORDER BY device COLLATE \"C\"",
                transaction, ("devices", devices.Select(d => d.Device).ToArray())))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    conflicts.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            if (conflicts.Count > 0)
            {
                throw new DeploymentConflictException(conflicts);
            }

            var now = Time.GetUtcNow();
            await PostgresDatabase.ExecuteAsync(connection, """
                INSERT INTO deployments(id, package_path, package_name, package_version, group_name, options_json, state, reason, current_wave, wave_state, wave_changed, created, updated,
                    package_sha256, rollback_sha256, lease_owner, lease_expires)
                VALUES (@id, @path, @name, @version, @group, @options::jsonb, @state, @reason, 0, @wave_state, @now, @now, @now,
                    @sha, @rb_sha, @owner, CASE WHEN @owner::text IS NULL THEN NULL ELSE clock_timestamp() + @ttl END)
                """, transaction, cancellationToken,
                ("sha", deployment.PackageSha256), ("rb_sha", deployment.RollbackSha256), ("owner", lease?.Owner), ("ttl", lease?.Ttl ?? TimeSpan.Zero),
                ("id", deployment.Id), ("path", deployment.PackagePath), ("name", deployment.PackageName), ("version", deployment.PackageVersion),
                ("group", deployment.Group), ("options", JsonSerializer.Serialize(deployment.Options, Json)), ("state", deployment.State), ("reason", deployment.Reason),
                ("wave_state", RolloutStates.WaveRunning), ("now", now));
            foreach (var (device, wave, previous) in devices)
            {
                await PostgresDatabase.ExecuteAsync(connection, "INSERT INTO deployment_devices(deployment, device, wave, state, previous_version) VALUES (@id, @d, @w, @s, @p)",
                    transaction, cancellationToken, ("id", deployment.Id), ("d", device), ("w", wave), ("s", RolloutStates.Pending), ("p", previous));
            }

            await AddEventAsync(connection, transaction, deployment.Id, CreatedEvent(deployment, devices), cancellationToken);
            return 0;
        }, cancellationToken);

    public override Task<DeploymentRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection, $"SELECT {DeploymentColumns} FROM deployments WHERE id = @id", null, ("id", id));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadDeployment(reader) : null;
        }, cancellationToken);

    public override Task<IReadOnlyList<DeploymentRecord>> ListAsync(CancellationToken cancellationToken) =>
        SelectAsync("ORDER BY created, id COLLATE \"C\"", cancellationToken);

    /// <summary>The deployments <c>SELECT … FROM deployments d</c> followed by <paramref name="tail"/> returns.</summary>
    private Task<IReadOnlyList<DeploymentRecord>> SelectAsync(string tail, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeploymentRecord>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection, $"SELECT {DeploymentColumns} FROM deployments d {tail}");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<DeploymentRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(ReadDeployment(reader));
            }

            return list;
        }, cancellationToken);

    public override Task<IReadOnlyList<DeviceRollout>> DevicesAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeviceRollout>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection,
                "SELECT device, wave, state, reason, progress, previous_version, job_id, started, finished, shadow_samples, shadow_agreements, shadow_p95_ratio FROM deployment_devices WHERE deployment = @id ORDER BY wave, device COLLATE \"C\"",
                null, ("id", id));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<DeviceRollout>();
            while (await reader.ReadAsync(cancellationToken))
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
                    Started = TimeAt(reader, 7),
                    Finished = TimeAt(reader, 8),
                    ShadowSamples = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    ShadowAgreements = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    ShadowP95Ratio = reader.IsDBNull(11) ? null : reader.GetDouble(11),
                });
            }

            return list;
        }, cancellationToken);

    public override Task<bool> UpdateDevicesAsync(string id, IReadOnlyCollection<DeviceRollout> devices, CancellationToken cancellationToken, string? leaseOwner = null) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            // FOR SHARE holds the deployment row until commit, so no other instance can take the lease in between.
            if (leaseOwner is not null && await PostgresDatabase.ScalarAsync(connection,
                "SELECT lease_owner = @owner AND lease_expires >= clock_timestamp() FROM deployments WHERE id = @id FOR SHARE", transaction, cancellationToken,
                ("id", id), ("owner", leaseOwner)) is not true)
            {
                return false;
            }

            foreach (var device in devices.OrderBy(d => d.Device, StringComparer.Ordinal))
            {
                await PostgresDatabase.ExecuteAsync(connection, """
                    UPDATE deployment_devices SET state = @s, reason = @r, progress = @p, previous_version = COALESCE(@pv, previous_version),
                        job_id = @j, started = @st, finished = @f,
                        shadow_samples = @ss, shadow_agreements = @sa, shadow_p95_ratio = @sr WHERE deployment = @id AND device = @d
                    """, transaction, cancellationToken,
                    ("id", id), ("d", device.Device), ("s", device.State), ("r", device.Reason), ("p", device.Progress), ("pv", device.PreviousVersion),
                    ("j", device.JobId), ("st", device.Started), ("f", device.Finished),
                    ("ss", device.ShadowSamples), ("sa", device.ShadowAgreements), ("sr", device.ShadowP95Ratio));
            }

            return true;
        }, cancellationToken);

    public override Task UpdateDeploymentAsync(string id, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => PostgresDatabase.ExecuteAsync(connection,
            "UPDATE deployments SET state = @s, reason = @r, current_wave = @w, wave_state = @ws, wave_changed = @wc, updated = @u WHERE id = @id", null, cancellationToken,
            ("id", id), ("s", state), ("r", reason), ("w", wave), ("ws", waveState), ("wc", waveChanged), ("u", Time.GetUtcNow())),
            cancellationToken);

    public override Task AddEventAsync(string id, string message, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => AddEventAsync(connection, null, id, message, cancellationToken), cancellationToken);

    public override Task<IReadOnlyList<(DateTimeOffset At, string Message)>> EventsAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<(DateTimeOffset, string)>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection, "SELECT at, message FROM deployment_events WHERE deployment = @id ORDER BY id", null, ("id", id));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<(DateTimeOffset, string)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
            }

            return list;
        }, cancellationToken);

    public override Task<IReadOnlyDictionary<string, string>> OpenJobsAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyDictionary<string, string>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection,
                $"SELECT device, deployment, state, progress FROM deployment_devices WHERE state IN ({RolloutStates.OpenSqlList}) AND state <> 'pending'");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs[reader.GetString(0)] = OpenJob(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetDouble(3));
            }

            return jobs;
        }, cancellationToken);

    private Task<int> AddEventAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, string message, CancellationToken cancellationToken) =>
        PostgresDatabase.ExecuteAsync(connection, "INSERT INTO deployment_events(deployment, at, message) VALUES (@id, @at, @m)", transaction, cancellationToken,
            ("id", id), ("at", Time.GetUtcNow()), ("m", message));

    private static DateTimeOffset? TimeAt(NpgsqlDataReader reader, int index) => reader.IsDBNull(index) ? null : reader.GetFieldValue<DateTimeOffset>(index);

    private static DeploymentRecord ReadDeployment(NpgsqlDataReader reader) => new()
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
        WaveChanged = TimeAt(reader, 10),
        Created = reader.GetFieldValue<DateTimeOffset>(11),
        Updated = reader.GetFieldValue<DateTimeOffset>(12),
        PackageSha256 = reader.IsDBNull(13) ? null : reader.GetString(13),
        RollbackSha256 = reader.IsDBNull(14) ? null : reader.GetString(14),
        LeaseOwner = reader.IsDBNull(15) ? null : reader.GetString(15),
        LeaseExpires = TimeAt(reader, 16),
    };
}
