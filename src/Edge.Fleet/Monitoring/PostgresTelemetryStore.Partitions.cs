using System.Globalization;
using Edge.Fleet.Storage.Postgres;

namespace Edge.Fleet.Monitoring;

/// <summary>Daily partitions of <c>telemetry</c> and the retention that folds old ones into <c>telemetry_1m</c>.</summary>
internal sealed partial class PostgresTelemetryStore
{
    private const string PartitionPrefix = "telemetry_";
    private const int MalformedKept = 10_000;

    /// <summary>
    /// Folds every partition whose whole day is older than <see cref="RawRetention"/> into 1-minute aggregates and
    /// drops it (one transaction each), then deletes aggregates past <see cref="AggregateRetention"/> and old malformed
    /// excerpts. Returns the raw, aggregate and malformed rows deleted (at most <see cref="int.MaxValue"/>).
    /// </summary>
    public override async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now - RawRetention;
        long deleted = 0;
        foreach (var day in await PartitionsAsync(cancellationToken))
        {
            if (day == DateOnly.MaxValue || Start(day.AddDays(1)) > cutoff)
            {
                continue;
            }

            deleted += await _database.InTransactionAsync((connection, transaction) => FoldAsync(connection, transaction, day, cancellationToken), cancellationToken);
            _partitions.TryRemove(day, out _);
        }

        deleted += await _database.InTransactionAsync(async (connection, transaction) =>
        {
            var aggregates = await PostgresDatabase.ExecuteAsync(connection, "DELETE FROM telemetry_1m WHERE minute < @c", transaction, cancellationToken,
                ("c", now - AggregateRetention));
            var malformed = await PostgresDatabase.ExecuteAsync(connection,
                $"DELETE FROM malformed_telemetry WHERE received < @c OR id <= (SELECT MAX(id) FROM malformed_telemetry) - {MalformedKept}", transaction, cancellationToken,
                ("c", cutoff));
            return (long)aggregates + malformed;
        }, cancellationToken);
        return (int)Math.Min(deleted, int.MaxValue);
    }

    /// <summary>The days that have a partition, oldest first.</summary>
    public Task<IReadOnlyList<DateOnly>> PartitionsAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<DateOnly>>(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection,
                "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'telemetry'::regclass");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var days = new List<DateOnly>();
            while (await reader.ReadAsync(cancellationToken))
            {
                if (TryParsePartition(reader.GetString(0), out var day))
                {
                    days.Add(day);
                }
            }

            days.Sort();
            return days;
        }, cancellationToken);

    /// <summary>The partition name of <paramref name="day"/>, e.g. <c>telemetry_20260115</c>.</summary>
    public static string PartitionName(DateOnly day) => PartitionPrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateOnly Day(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Bound(DateOnly day) => $"'{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}T00:00:00Z'";

    private static bool TryParsePartition(string name, out DateOnly day)
    {
        day = default;
        return name.StartsWith(PartitionPrefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(name.AsSpan(PartitionPrefix.Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    /// <summary>Creates the partitions of <paramref name="days"/> that this instance has not seen yet (idempotent, under an advisory lock).</summary>
    private async Task EnsurePartitionsAsync(List<DateOnly> days, CancellationToken cancellationToken)
    {
        var missing = days.Where(day => !_partitions.ContainsKey(day)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await _database.InTransactionAsync(async (connection, transaction) =>
        {
            await PostgresDatabase.ExecuteAsync(connection, AdvisoryLocks.Take(AdvisoryLocks.Partitions), transaction, cancellationToken);
            foreach (var day in missing)
            {
                var upper = day == DateOnly.MaxValue ? "MAXVALUE" : Bound(day.AddDays(1));
                await PostgresDatabase.ExecuteAsync(connection,
                    $"CREATE TABLE IF NOT EXISTS {PartitionName(day)} PARTITION OF telemetry FOR VALUES FROM ({Bound(day)}) TO ({upper})", transaction, cancellationToken);
            }

            return 0;
        }, cancellationToken);
        foreach (var day in missing)
        {
            _partitions[day] = true;
        }
    }

    /// <summary>Aggregates one partition per device, model version and minute into <c>telemetry_1m</c>, then drops it; returns its raw rows.</summary>
    private static async Task<long> FoldAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, DateOnly day, CancellationToken cancellationToken)
    {
        var name = PartitionName(day);
        await PostgresDatabase.ExecuteAsync(connection, AdvisoryLocks.Take(AdvisoryLocks.Partitions), transaction, cancellationToken);
        if (await PostgresDatabase.ScalarAsync(connection, "SELECT to_regclass(@n)::text", transaction, cancellationToken, ("n", name)) is null)
        {
            return 0; // another instance folded it first
        }

        var rows = (long)(await PostgresDatabase.ScalarAsync(connection, $"SELECT COUNT(*) FROM {name}", transaction, cancellationToken))!;
        await PostgresDatabase.ExecuteAsync(connection, $"""
            INSERT INTO telemetry_1m (device, model, version, minute, samples, calls, errors, p50_ms, p95_ms, p99_ms, cpu_percent,
                memory_used_bytes, memory_total_bytes, temperature_celsius)
            SELECT device, model, version, date_trunc('minute', at, 'UTC'), COUNT(*), SUM(calls), SUM(errors), AVG(p50_ms), AVG(p95_ms), MAX(p99_ms),
                AVG(cpu_percent), MAX(memory_used_bytes), MAX(memory_total_bytes), MAX(temperature_celsius)
            FROM {name} GROUP BY device, model, version, date_trunc('minute', at, 'UTC')
            ON CONFLICT (device, model, version, minute) DO NOTHING
            """, transaction, cancellationToken);
        await PostgresDatabase.ExecuteAsync(connection, $"DROP TABLE {name}", transaction, cancellationToken);
        return rows;
    }
}
