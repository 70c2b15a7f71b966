using System.Data.Common;
using System.Globalization;
using System.Text;
using Edge.Fleet.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// Reads what <c>edge-fleet serve</c> stored, from outside it: row counts, duplicates, and when the rows of a set of
/// probe devices became visible. <see cref="PollAsync"/> asks for every probe row above the highest seq below which
/// all were already seen, so each poll returns only new (or out-of-order) rows; the caller stamps each row's first
/// appearance with the time the poll began, an upper bound on when it was committed, at most one poll interval late.
/// </summary>
internal sealed class IngestProbe : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly bool _postgres;
    private readonly string[] _probes;
    private readonly long[] _floor;
    private readonly HashSet<long>[] _above;
    private readonly Dictionary<string, int> _probeIndex = new(StringComparer.Ordinal);

    private IngestProbe(DbConnection connection, bool postgres, string[] probes)
    {
        _connection = connection;
        _postgres = postgres;
        _probes = probes;
        _floor = new long[probes.Length];
        _above = probes.Select(_ => new HashSet<long>()).ToArray();
        for (var i = 0; i < probes.Length; i++)
        {
            _probeIndex[probes[i]] = i;
        }
    }

    /// <summary>Opens a reader on <c>postgres:CONNECTION</c> or <c>sqlite:PATH</c>.</summary>
    public static async Task<IngestProbe> OpenAsync(string store, string[] probes)
    {
        var postgres = store.StartsWith("postgres:", StringComparison.Ordinal);
        DbConnection connection = postgres
            ? new NpgsqlConnection(store["postgres:".Length..] + ";Pooling=false")
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store["sqlite:".Length..], Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync();
        if (!postgres)
        {
            await ExecuteAsync(connection, "PRAGMA busy_timeout=60000;");
        }

        return new IngestProbe(connection, postgres, probes);
    }

    public async Task<long> CountAsync() => Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM telemetry"), CultureInfo.InvariantCulture);

    /// <summary>Rows, and distinct (device, seq) pairs among them.</summary>
    public async Task<(long Rows, long Distinct)> CountDistinctAsync()
    {
        var rows = await CountAsync();
        var distinct = Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM (SELECT DISTINCT device, seq FROM telemetry) d"), CultureInfo.InvariantCulture);
        return (rows, distinct);
    }

    /// <summary>The probe rows not seen before: (device, seq, at) each once.</summary>
    public async Task<List<(string Device, long Seq, DateTimeOffset At)>> PollAsync()
    {
        await using var command = _connection.CreateCommand();
        if (_postgres)
        {
            command.CommandText = "SELECT t.device, t.seq, t.at FROM unnest(@d, @f) AS p(device, floor) JOIN telemetry t ON t.device = p.device AND t.seq > p.floor";
            command.Parameters.Add(new NpgsqlParameter("d", _probes));
            command.Parameters.Add(new NpgsqlParameter("f", _floor.ToArray()));
        }
        else
        {
            var sql = new StringBuilder("SELECT device, seq, at FROM telemetry WHERE ");
            for (var i = 0; i < _probes.Length; i++)
            {
                sql.Append(i == 0 ? string.Empty : " OR ").Append(CultureInfo.InvariantCulture, $"(device = $d{i} AND seq > $f{i})");
                command.Parameters.Add(new SqliteParameter($"$d{i}", _probes[i]));
                command.Parameters.Add(new SqliteParameter($"$f{i}", _floor[i]));
            }

            command.CommandText = sql.ToString();
        }

        var fresh = new List<(string, long, DateTimeOffset)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var device = reader.GetString(0);
                var seq = reader.GetInt64(1);
                var at = _postgres ? reader.GetFieldValue<DateTimeOffset>(2) : StoredTime.FromText(reader.GetString(2));
                var p = _probeIndex[device];
                if (_above[p].Add(seq))
                {
                    fresh.Add((device, seq, at));
                }
            }
        }

        for (var p = 0; p < _probes.Length; p++)
        {
            while (_above[p].Remove(_floor[p] + 1))
            {
                _floor[p]++;
            }
        }

        return fresh;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
