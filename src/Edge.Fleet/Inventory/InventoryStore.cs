using System.Text.Json;
using Edge.Fleet.Connection;
using Edge.Fleet.Storage;
using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Inventory;

/// <summary>
/// The inventory cache in the state database: the latest status of every device ever seen (so a device whose
/// retained status was cleared still shows, as offline) and operator labels used by group selectors.
/// </summary>
internal sealed class InventoryStore
{
    private readonly FleetDatabase _database;

    public InventoryStore(FleetDatabase database) => _database = database;

    /// <summary>Saves a status; <paramref name="seen"/> is when it was received (used when the status has no timestamp).</summary>
    public Task SaveStatusesAsync(IReadOnlyCollection<StatusPayload> statuses, DateTimeOffset seen, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            foreach (var status in statuses)
            {
                // An offline Will carries no facts: keep the facts of the last online status so the inventory still
                // shows board and versions of a device that dropped off.
                var previousJson = FleetDatabase.Scalar(connection, "SELECT status_json FROM devices WHERE device = $d", transaction, ("$d", status.Device)) as string;
                var merged = status;
                if (status.Facts is null && previousJson is not null
                    && JsonSerializer.Deserialize(previousJson, FleetJsonContext.Default.StatusPayload)?.Facts is { } facts)
                {
                    merged = status with { Facts = facts };
                }

                var lastSeen = status.State == "online" ? seen : status.Timestamp;
                FleetDatabase.Execute(connection, """
                    INSERT INTO devices(device, fleet, state, reason, last_seen, status_json) VALUES ($d, $f, $s, $r, $seen, $json)
                    ON CONFLICT(device) DO UPDATE SET fleet = $f, state = $s, reason = $r,
                        last_seen = CASE WHEN $seen IS NULL THEN last_seen WHEN last_seen IS NULL OR $seen > last_seen THEN $seen ELSE last_seen END,
                        status_json = $json
                    """, transaction,
                    ("$d", status.Device), ("$f", status.Fleet), ("$s", status.State), ("$r", status.Reason),
                    ("$seen", StoredTime.ToText(lastSeen)), ("$json", JsonSerializer.Serialize(merged, FleetJsonContext.Default.StatusPayload)));
            }

            return statuses.Count;
        }, cancellationToken);

    /// <summary>Moves <c>last_seen</c> forward for devices heard from through telemetry.</summary>
    public Task TouchAsync(IReadOnlyDictionary<string, DateTimeOffset> lastSeen, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            foreach (var (device, seen) in lastSeen)
            {
                FleetDatabase.Execute(connection, "UPDATE devices SET last_seen = $seen WHERE device = $d AND (last_seen IS NULL OR last_seen < $seen)",
                    transaction, ("$d", device), ("$seen", StoredTime.ToText(seen)));
            }

            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> LoadAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeviceRecord>>(connection =>
        {
            var labels = LoadLabels(connection);
            var records = new List<DeviceRecord>();
            using var command = FleetDatabase.Command(connection, "SELECT device, fleet, state, reason, last_seen, status_json FROM devices ORDER BY device");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var device = reader.GetString(0);
                var status = JsonSerializer.Deserialize(reader.GetString(5), FleetJsonContext.Default.StatusPayload);
                var facts = status?.Facts;
                records.Add(new DeviceRecord
                {
                    Device = device,
                    Fleet = reader.GetString(1),
                    Online = reader.GetString(2) == "online",
                    Reason = reader.IsDBNull(3) ? null : reader.GetString(3),
                    LastSeen = reader.IsDBNull(4) ? null : StoredTime.FromText(reader.GetString(4)),
                    Board = facts?.Board,
                    Os = facts?.Os,
                    Architecture = facts?.Architecture,
                    AgentVersion = facts?.AgentVersion,
                    SdkVersion = facts?.SdkVersion,
                    Models = facts?.Models ?? [],
                    Hardware = facts?.Hardware,
                    Labels = labels.TryGetValue(device, out var own) ? own : new Dictionary<string, string>(),
                });
            }

            return records;
        }, cancellationToken);

    /// <summary>Sets (or with a null value removes) labels of a device.</summary>
    /// <summary>
    /// Removes a device from the inventory: its status, labels and static group memberships. Telemetry and deployment
    /// history stay (they record what happened). Returns whether the inventory knew the device.
    /// </summary>
    public Task<bool> ForgetAsync(string device, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            var known = FleetDatabase.Execute(connection, "DELETE FROM devices WHERE device = $d", transaction, ("$d", device)) > 0;
            FleetDatabase.Execute(connection, "DELETE FROM device_labels WHERE device = $d", transaction, ("$d", device));
            FleetDatabase.Execute(connection, "DELETE FROM group_members WHERE device = $d", transaction, ("$d", device));
            return known;
        }, cancellationToken);

    public Task SetLabelsAsync(string device, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            foreach (var (name, value) in labels)
            {
                if (value is null)
                {
                    FleetDatabase.Execute(connection, "DELETE FROM device_labels WHERE device = $d AND name = $n", transaction, ("$d", device), ("$n", name));
                }
                else
                {
                    FleetDatabase.Execute(connection, "INSERT INTO device_labels(device, name, value) VALUES ($d, $n, $v) ON CONFLICT(device, name) DO UPDATE SET value = $v",
                        transaction, ("$d", device), ("$n", name), ("$v", value));
                }
            }

            return 0;
        }, cancellationToken);

    private static Dictionary<string, Dictionary<string, string>> LoadLabels(SqliteConnection connection)
    {
        var labels = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using var command = FleetDatabase.Command(connection, "SELECT device, name, value FROM device_labels");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var device = reader.GetString(0);
            if (!labels.TryGetValue(device, out var own))
            {
                own = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                labels.Add(device, own);
            }

            own[reader.GetString(1)] = reader.GetString(2);
        }

        return labels;
    }
}
