using System.Collections.Concurrent;
using Edge.Fleet.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// Telemetry in PostgreSQL: raw rows in daily partitions of <c>telemetry</c> (created on demand before each insert),
/// written by binary COPY into a session staging table and moved with <c>INSERT ... ON CONFLICT DO NOTHING</c>, so a
/// re-delivered (device, seq) is stored once even when two instances ingest it. <see cref="PruneAsync"/> folds
/// partitions older than <see cref="RawRetention"/> into 1-minute aggregates (<c>telemetry_1m</c>), drops them, and
/// deletes aggregates older than <see cref="AggregateRetention"/>.
/// </summary>
internal sealed partial class PostgresTelemetryStore : TelemetryStore
{
    private const string Columns = "device, seq, at, received, model, version, calls, errors, p50_ms, p95_ms, p99_ms, cpu_percent, memory_used_bytes, memory_total_bytes, temperature_celsius";


    /// <summary>Per session: dropped at commit (rows) and with the pooled connection's reset (table).</summary>
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS telemetry_staging (
            device text, seq bigint, at timestamptz, received timestamptz, model text, version text, calls bigint, errors bigint,
            p50_ms double precision, p95_ms double precision, p99_ms double precision, cpu_percent double precision,
            memory_used_bytes bigint, memory_total_bytes bigint, temperature_celsius double precision
        ) ON COMMIT DELETE ROWS
        """;

    private readonly PostgresDatabase _database;
    private readonly ConcurrentDictionary<DateOnly, bool> _partitions = new();

    /// <param name="rawRetention">How long raw rows are kept (by sample time) before they become 1-minute aggregates; default 7 days, at least 1 day.</param>
    /// <param name="aggregateRetention">How long 1-minute aggregates are kept; default 90 days, at least <paramref name="rawRetention"/>.</param>
    public PostgresTelemetryStore(PostgresDatabase database, TimeSpan? rawRetention = null, TimeSpan? aggregateRetention = null)
    {
        _database = database;
        RawRetention = rawRetention ?? TimeSpan.FromDays(7);
        AggregateRetention = aggregateRetention ?? TimeSpan.FromDays(90);
        ArgumentOutOfRangeException.ThrowIfLessThan(RawRetention, TimeSpan.FromDays(1), nameof(rawRetention));
        ArgumentOutOfRangeException.ThrowIfLessThan(AggregateRetention, RawRetention, nameof(aggregateRetention));
    }

    public TimeSpan RawRetention { get; }

    public TimeSpan AggregateRetention { get; }

    public override async Task<int> AddAsync(IReadOnlyList<TelemetryRecord> records, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var rows = records.SelectMany(record => Rows(record, received)).ToList();
        if (rows.Count == 0)
        {
            return 0;
        }

        var days = rows.Select(row => Day(row.At)).Distinct().ToList();
        for (var attempt = 1; ; attempt++)
        {
            await EnsurePartitionsAsync(days, cancellationToken);
            try
            {
                return await _database.InTransactionAsync(async (connection, transaction) =>
                {
                    var written = await CopyAsync(connection, transaction, rows, cancellationToken);
                    await UpsertDriftAsync(connection, transaction, records, cancellationToken);
                    return written;
                }, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && attempt == 1)
            {
                // "no partition of relation found for row": another instance's retention dropped a partition this
                // instance remembered. Forget them and create what is missing once more.
                _partitions.Clear();
            }
        }
    }

    public override Task AddMalformedAsync(MalformedTelemetry malformed, string excerpt, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => PostgresDatabase.ExecuteAsync(connection,
            "INSERT INTO malformed_telemetry(device, topic, received, error, excerpt) VALUES (@d, @t, @r, @e, @x)", null, cancellationToken,
            ("d", malformed.Device), ("t", malformed.Topic), ("r", malformed.Received), ("e", malformed.Error), ("x", excerpt)), cancellationToken);

    public override Task<IReadOnlyList<TelemetryRow>> QueryAsync(
        DateTimeOffset since, IReadOnlyCollection<string>? devices, CancellationToken cancellationToken, DateTimeOffset? until = null) =>
        _database.RunAsync<IReadOnlyList<TelemetryRow>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection, $"""
                SELECT {Columns} FROM telemetry WHERE at >= @since AND at < @until AND (@devices IS NULL OR device = ANY(@devices))
                ORDER BY at, device COLLATE "C", seq, model COLLATE "C", version COLLATE "C"
                """, null, ("since", since), ("until", until ?? DateTimeOffset.MaxValue.AddYears(-1)));
            command.Parameters.Add(new NpgsqlParameter("devices", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)devices?.ToArray() ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<TelemetryRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new TelemetryRow(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4), reader.GetString(5), Long(reader, 6), Long(reader, 7), Double(reader, 8), Double(reader, 9), Double(reader, 10),
                    Double(reader, 11), Long(reader, 12), Long(reader, 13), Double(reader, 14)));
            }

            return rows;
        }, cancellationToken);

    public override Task<IReadOnlyList<StoredDrift>> LatestDriftAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<StoredDrift>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection, $"SELECT {DriftColumns} FROM device_drift ORDER BY device COLLATE \"C\"");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<StoredDrift>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new StoredDrift(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), ReadDrift(reader)));
            }

            return list;
        }, cancellationToken);

    public override Task<long> CountAsync(CancellationToken cancellationToken) =>
        _database.RunAsync(async connection => (long)(await PostgresDatabase.ScalarAsync(connection, "SELECT COUNT(*) FROM telemetry", null, cancellationToken))!, cancellationToken);

    private static async Task<int> CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<TelemetryRow> rows, CancellationToken cancellationToken)
    {
        await PostgresDatabase.ExecuteAsync(connection, CreateStaging, transaction, cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY telemetry_staging ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(row.Device, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(row.Seq, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(row.At.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(row.Received.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(row.Model, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(row.Version, NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, row.Calls, NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, row.Errors, NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, row.P50Ms, NpgsqlDbType.Double, cancellationToken);
                await WriteAsync(writer, row.P95Ms, NpgsqlDbType.Double, cancellationToken);
                await WriteAsync(writer, row.P99Ms, NpgsqlDbType.Double, cancellationToken);
                await WriteAsync(writer, row.CpuPercent, NpgsqlDbType.Double, cancellationToken);
                await WriteAsync(writer, row.MemoryUsedBytes, NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, row.MemoryTotalBytes, NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, row.TemperatureCelsius, NpgsqlDbType.Double, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        return await PostgresDatabase.ExecuteAsync(connection,
            $"INSERT INTO telemetry ({Columns}) SELECT {Columns} FROM telemetry_staging ON CONFLICT DO NOTHING", transaction, cancellationToken);
    }

    private static async Task UpsertDriftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TelemetryRecord> records, CancellationToken cancellationToken)
    {
        foreach (var drift in LatestDrift(records))
        {
            var f = drift.Figures;
            await PostgresDatabase.ExecuteAsync(connection, $"""
                INSERT INTO device_drift({DriftColumns}) VALUES (@d, @at, @m, @rv, @w, @n, @id, @i, @c, @psi, @s, @x)
                ON CONFLICT(device) DO UPDATE SET at = excluded.at, model = excluded.model, reference_version = excluded.reference_version,
                    window_samples = excluded.window_samples, samples = excluded.samples, input_distance = excluded.input_distance,
                    input = excluded.input, channel = excluded.channel, confidence_psi = excluded.confidence_psi, sampled = excluded.sampled,
                    dropped = excluded.dropped
                WHERE excluded.at >= device_drift.at
                """, transaction, cancellationToken,
                ("d", drift.Device), ("at", drift.At.ToUniversalTime()), ("m", f.Model), ("rv", f.ReferenceVersion), ("w", f.Window), ("n", f.Samples),
                ("id", f.InputDistance), ("i", f.Input), ("c", f.Channel), ("psi", f.ConfidencePsi), ("s", f.Sampled), ("x", f.Dropped));
        }
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? writer.WriteAsync(present, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static long? Long(NpgsqlDataReader reader, int index) => reader.IsDBNull(index) ? null : reader.GetInt64(index);

    private static double? Double(NpgsqlDataReader reader, int index) => reader.IsDBNull(index) ? null : reader.GetDouble(index);
}
