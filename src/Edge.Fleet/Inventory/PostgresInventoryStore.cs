using System.Text.Json;
using Edge.Fleet.Connection;
using Edge.Fleet.Storage.Postgres;

namespace Edge.Fleet.Inventory;

/// <summary>
/// The inventory cache in PostgreSQL. Concurrent instances saving the same device serialize on its row
/// (<c>SELECT ... FOR UPDATE</c>, then an upsert), and <c>last_seen</c> only moves forward.
/// </summary>
internal sealed class PostgresInventoryStore : InventoryStore
{
    private readonly PostgresDatabase _database;

    public PostgresInventoryStore(PostgresDatabase database) => _database = database;

    public override Task SaveStatusesAsync(IReadOnlyCollection<StatusPayload> statuses, DateTimeOffset seen, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            // Sorted, so two instances saving overlapping sets lock rows in the same order (no deadlock).
            foreach (var status in statuses.OrderBy(s => s.Device, StringComparer.Ordinal))
            {
                var previousJson = await PostgresDatabase.ScalarAsync(connection, "SELECT status_json::text FROM devices WHERE device = @d FOR UPDATE", transaction,
                    cancellationToken, ("d", status.Device)) as string;
                var merged = MergeFacts(status, previousJson);
                var lastSeen = status.State == "online" ? seen : status.Timestamp;
                await PostgresDatabase.ExecuteAsync(connection, """
                    INSERT INTO devices(device, fleet, state, reason, last_seen, status_json) VALUES (@d, @f, @s, @r, @seen, @json::jsonb)
                    ON CONFLICT (device) DO UPDATE SET fleet = excluded.fleet, state = excluded.state, reason = excluded.reason,
                        last_seen = GREATEST(devices.last_seen, excluded.last_seen), status_json = excluded.status_json
                    """, transaction, cancellationToken,
                    ("d", status.Device), ("f", status.Fleet), ("s", status.State), ("r", status.Reason),
                    ("seen", lastSeen), ("json", JsonSerializer.Serialize(merged, FleetJsonContext.Default.StatusPayload)));
            }

            return statuses.Count;
        }, cancellationToken);

    public override Task TouchAsync(IReadOnlyDictionary<string, DateTimeOffset> lastSeen, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            // One statement for the whole batch (a serve batch touches hundreds of devices); rows are locked in device
            // order, so two instances touching overlapping devices cannot deadlock.
            var ordered = lastSeen.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
            return await PostgresDatabase.ExecuteAsync(connection, """
                WITH seen AS (SELECT * FROM unnest(@devices::text[], @times::timestamptz[]) AS s(device, at)),
                     locked AS (SELECT d.device FROM devices d JOIN seen USING (device) ORDER BY d.device COLLATE "C" FOR UPDATE OF d)
                UPDATE devices d SET last_seen = seen.at FROM seen
                WHERE d.device = seen.device AND d.device IN (SELECT device FROM locked) AND (d.last_seen IS NULL OR d.last_seen < seen.at)
                """, null, cancellationToken,
                ("devices", ordered.Select(p => p.Key).ToArray()), ("times", ordered.Select(p => p.Value.ToUniversalTime()).ToArray()));
        }, cancellationToken);

    public override Task<IReadOnlyList<DeviceRecord>> LoadAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DeviceRecord>>(async connection =>
        {
            var labels = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            await using (var command = PostgresDatabase.Command(connection, "SELECT device, name, value FROM device_labels"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    AddLabel(labels, reader.GetString(0), reader.GetString(1), reader.GetString(2));
                }
            }

            var records = new List<DeviceRecord>();
            await using (var command = PostgresDatabase.Command(connection,
                "SELECT device, fleet, state, reason, last_seen, status_json::text FROM devices ORDER BY device COLLATE \"C\""))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    records.Add(Record(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), labels));
                }
            }

            return records;
        }, cancellationToken);

    public override Task<bool> ForgetAsync(string device, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            var known = await PostgresDatabase.ExecuteAsync(connection, "DELETE FROM devices WHERE device = @d", transaction, cancellationToken, ("d", device)) > 0;
            await PostgresDatabase.ExecuteAsync(connection, "DELETE FROM device_labels WHERE device = @d", transaction, cancellationToken, ("d", device));
            await PostgresDatabase.ExecuteAsync(connection, "DELETE FROM group_members WHERE device = @d", transaction, cancellationToken, ("d", device));
            return known;
        }, cancellationToken);

    public override Task SetLabelsAsync(string device, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var (name, value) in labels)
            {
                if (value is null)
                {
                    await PostgresDatabase.ExecuteAsync(connection, "DELETE FROM device_labels WHERE device = @d AND name = @n", transaction, cancellationToken,
                        ("d", device), ("n", name));
                }
                else
                {
                    await PostgresDatabase.ExecuteAsync(connection,
                        "INSERT INTO device_labels(device, name, value) VALUES (@d, @n, @v) ON CONFLICT (device, name) DO UPDATE SET value = excluded.value",
                        transaction, cancellationToken, ("d", device), ("n", name), ("v", value));
                }
            }

            return 0;
        }, cancellationToken);
}
