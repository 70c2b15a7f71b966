using Edge.Fleet.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// Bounded telemetry history in the SQLite state file: one row per device, sample and model version, de-duplicated by
/// (device, seq). <see cref="PruneAsync"/> keeps at most <see cref="MaxRows"/> rows and nothing older than
/// <see cref="MaxAge"/>, so the file cannot grow without bound however long the tool runs.
/// </summary>
internal sealed class SqliteTelemetryStore : TelemetryStore
{
    private const string Columns = "device, seq, at, received, model, version, calls, errors, p50_ms, p95_ms, p99_ms, cpu_percent, memory_used_bytes, memory_total_bytes, temperature_celsius";


    private static readonly string[] ParameterNames = ["$d", "$s", "$at", "$rx", "$m", "$v", "$c", "$e", "$p50", "$p95", "$p99", "$cpu", "$mu", "$mt", "$t"];

    private readonly FleetDatabase _database;

    public SqliteTelemetryStore(FleetDatabase database, long maxRows = 1_000_000, TimeSpan? maxAge = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        _database = database;
        MaxRows = maxRows;
        MaxAge = maxAge ?? TimeSpan.FromDays(7);
    }

    public long MaxRows { get; }

    public TimeSpan MaxAge { get; }

    public override Task<int> AddAsync(IReadOnlyList<TelemetryRecord> records, DateTimeOffset received, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            using var insert = FleetDatabase.Command(connection,
                $"INSERT OR IGNORE INTO telemetry({Columns}) VALUES ($d, $s, $at, $rx, $m, $v, $c, $e, $p50, $p95, $p99, $cpu, $mu, $mt, $t)", transaction);
            var parameters = ParameterNames.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            insert.Prepare();
            var written = 0;
            var receivedText = StoredTime.ToText(received);
            foreach (var row in records.SelectMany(record => Rows(record, received)))
            {
                object?[] values =
                [
                    row.Device, row.Seq, StoredTime.ToText(row.At), receivedText, row.Model, row.Version, row.Calls, row.Errors, row.P50Ms, row.P95Ms,
                    row.P99Ms, row.CpuPercent, row.MemoryUsedBytes, row.MemoryTotalBytes, row.TemperatureCelsius,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }

                written += insert.ExecuteNonQuery();
            }

            foreach (var drift in LatestDrift(records))
            {
                var f = drift.Figures;
                FleetDatabase.Execute(connection, $"""
                    INSERT INTO device_drift({DriftColumns}) VALUES ($d, $at, $m, $rv, $w, $n, $id, $i, $c, $psi, $s, $x)
                    ON CONFLICT(device) DO UPDATE SET at = excluded.at, model = excluded.model, reference_version = excluded.reference_version,
                        window_samples = excluded.window_samples, samples = excluded.samples, input_distance = excluded.input_distance,
                        input = excluded.input, channel = excluded.channel, confidence_psi = excluded.confidence_psi, sampled = excluded.sampled,
                        dropped = excluded.dropped
                    WHERE excluded.at >= device_drift.at
                    """, transaction,
                    ("$d", drift.Device), ("$at", StoredTime.ToText(drift.At)), ("$m", f.Model), ("$rv", f.ReferenceVersion), ("$w", f.Window), ("$n", f.Samples),
                    ("$id", f.InputDistance), ("$i", f.Input), ("$c", f.Channel), ("$psi", f.ConfidencePsi), ("$s", f.Sampled), ("$x", f.Dropped));
            }

            return written;
        }, cancellationToken);

    public override Task AddMalformedAsync(MalformedTelemetry malformed, string excerpt, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => FleetDatabase.Execute(connection,
            "INSERT INTO malformed_telemetry(device, topic, received, error, excerpt) VALUES ($d, $t, $r, $e, $x)", null,
            ("$d", malformed.Device), ("$t", malformed.Topic), ("$r", StoredTime.ToText(malformed.Received)), ("$e", malformed.Error), ("$x", excerpt)), cancellationToken);

    /// <summary>Deletes rows older than <see cref="MaxAge"/> and the oldest beyond <see cref="MaxRows"/>; returns rows deleted.</summary>
    public override Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            var cutoff = StoredTime.ToText(now - MaxAge);
            var deleted = FleetDatabase.Execute(connection, "DELETE FROM telemetry WHERE received < $c", transaction, ("$c", cutoff));
            var count = (long)FleetDatabase.Scalar(connection, "SELECT COUNT(*) FROM telemetry", transaction)!;
            if (count > MaxRows)
            {
                deleted += FleetDatabase.Execute(connection,
                    "DELETE FROM telemetry WHERE rowid IN (SELECT rowid FROM telemetry ORDER BY received, rowid LIMIT $n)", transaction, ("$n", count - MaxRows));
            }

            deleted += FleetDatabase.Execute(connection, "DELETE FROM malformed_telemetry WHERE received < $c OR id <= (SELECT MAX(id) FROM malformed_telemetry) - 10000", transaction, ("$c", cutoff));
            return deleted;
        }, cancellationToken);

    public override Task<IReadOnlyList<TelemetryRow>> QueryAsync(DateTimeOffset since, IReadOnlyCollection<string>? devices, CancellationToken cancellationToken, DateTimeOffset? until = null) =>
        _database.RunAsync<IReadOnlyList<TelemetryRow>>(connection =>
        {
            using var command = FleetDatabase.Command(connection,
                $"SELECT {Columns} FROM telemetry WHERE at >= $since AND at < $until ORDER BY at, device, seq", null,
                ("$since", StoredTime.ToText(since)), ("$until", StoredTime.ToText(until ?? DateTimeOffset.MaxValue.AddYears(-1))));
            using var reader = command.ExecuteReader();
            var wanted = devices is null ? null : new HashSet<string>(devices, StringComparer.Ordinal);
            var rows = new List<TelemetryRow>();
            while (reader.Read())
            {
                var device = reader.GetString(0);
                if (wanted is not null && !wanted.Contains(device))
                {
                    continue;
                }

                rows.Add(new TelemetryRow(device, reader.GetInt64(1), StoredTime.FromText(reader.GetString(2)), StoredTime.FromText(reader.GetString(3)),
                    reader.GetString(4), reader.GetString(5), Long(reader, 6), Long(reader, 7), Double(reader, 8), Double(reader, 9), Double(reader, 10),
                    Double(reader, 11), Long(reader, 12), Long(reader, 13), Double(reader, 14)));
            }

            return rows;
        }, cancellationToken);

    public override Task<IReadOnlyList<StoredDrift>> LatestDriftAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<StoredDrift>>(connection =>
        {
            using var command = FleetDatabase.Command(connection, $"SELECT {DriftColumns} FROM device_drift ORDER BY device", null);
            using var reader = command.ExecuteReader();
            var list = new List<StoredDrift>();
            while (reader.Read())
            {
                list.Add(new StoredDrift(reader.GetString(0), StoredTime.FromText(reader.GetString(1)), ReadDrift(reader)));
            }

            return list;
        }, cancellationToken);

    public override Task<long> CountAsync(CancellationToken cancellationToken) =>
        _database.RunAsync(connection => (long)FleetDatabase.Scalar(connection, "SELECT COUNT(*) FROM telemetry")!, cancellationToken);

    private static long? Long(SqliteDataReader reader, int index) => reader.IsDBNull(index) ? null : reader.GetInt64(index);

    private static double? Double(SqliteDataReader reader, int index) => reader.IsDBNull(index) ? null : reader.GetDouble(index);
}
