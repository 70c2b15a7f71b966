using System.Text.Json;
using Edge.Fleet.Connection;
using Edge.Fleet.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Inventory;

/// <summary>The inventory cache in the SQLite state file.</summary>
internal sealed class SqliteInventoryStore : InventoryStore
{
    private readonly FleetDatabase _database;

    public SqliteInventoryStore(FleetDatabase database) => _database = database;

    public override Task SaveStatusesAsync(IReadOnlyCollection<StatusPayload> statuses, DateTimeOffset seen, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            foreach (var status in statuses)
            {
                var previousJson = FleetDatabase.Scalar(connection, "SELECT status_json FROM devices WHERE device = $d", transaction, ("$d", status.Device)) as string;
                var merged = MergeFacts(status, previousJson);
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

    public override Task TouchAsync(IReadOnlyDictionary<string, DateTimeOffset> lastSeen, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            foreach (var (device, seen) in lastSeen)
            {
                FleetDatabase.Execute(connection, "UPDATE devices SET last_seen = $seen WHERE device = $d AND (last_seen IS NULL OR last_seen < $seen)",
                    transaction, ("$d", device), ("$seen", StoredTime.ToText(seen)));
            }

            return 0;
        }, cancellationToken);

    public override Task<IReadOnlyList<DeviceRecord>> LoadAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeviceRecord>>(connection =>
        {
            var labels = LoadLabels(connection);
            var records = new List<DeviceRecord>();
            using var command = FleetDatabase.Command(connection, "SELECT device, fleet, state, reason, last_seen, status_json FROM devices ORDER BY device");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(Record(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : StoredTime.FromText(reader.GetString(4)), reader.GetString(5), labels));
            }

            return records;
        }, cancellationToken);

    public override Task<bool> ForgetAsync(string device, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            var known = FleetDatabase.Execute(connection, "DELETE FROM devices WHERE device = $d", transaction, ("$d", device)) > 0;
            FleetDatabase.Execute(connection, "DELETE FROM device_labels WHERE device = $d", transaction, ("$d", device));
            FleetDatabase.Execute(connection, "DELETE FROM group_members WHERE device = $d", transaction, ("$d", device));
            return known;
        }, cancellationToken);

    public override Task SetLabelsAsync(string device, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
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
            AddLabel(labels, reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        return labels;
    }
}
