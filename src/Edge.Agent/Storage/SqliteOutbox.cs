using Microsoft.Data.Sqlite;

namespace Edge.Agent.Storage;

/// <summary>
/// Disk-backed FIFO of telemetry records in SQLite (WAL journal, synchronous=FULL: a committed enqueue survives
/// power loss). Ids come from AUTOINCREMENT, which never reuses a value, so they rise monotonically for the life of
/// the database. The queue is bounded in payload bytes; an enqueue that would overflow it first deletes the oldest
/// records and adds them to a persisted dropped counter. One connection, serialised by a lock: SQLite work here is
/// short and synchronous, and the async signatures let callers stay asynchronous.
/// </summary>
internal sealed class SqliteOutbox : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private SqliteConnection? _connection;
    private long _pending;
    private long _pendingBytes;
    private long _dropped;

    public SqliteOutbox(string path, long maxBytes, TimeProvider time, OutboxStatistics statistics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        DatabasePath = Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _time = time;
        Statistics = statistics;
    }

    public string DatabasePath { get; }

    public OutboxStatistics Statistics { get; }

    /// <summary>Raised (outside the lock) after records were added; the delivery loop uses it to wake.</summary>
    public event Action? RecordsAdded;

    /// <summary>Opens or creates the database and loads the counters.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null)
            {
                return;
            }

            SqliteNative.EnsureInitialized();
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
            try
            {
                connection.Open();
                Execute(connection, """
                    PRAGMA journal_mode=WAL;
                    PRAGMA synchronous=FULL;
                    CREATE TABLE IF NOT EXISTS outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        enqueued_ms INTEGER NOT NULL,
                        payload BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    INSERT OR IGNORE INTO counters (name, value) VALUES ('dropped', 0);
                    """);
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0), (SELECT value FROM counters WHERE name = 'dropped') FROM outbox";
                    using var reader = command.ExecuteReader();
                    reader.Read();
                    _pending = reader.GetInt64(0);
                    _pendingBytes = reader.GetInt64(1);
                    _dropped = reader.GetInt64(2);
                }

                _connection = connection;
                Publish();
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw new IOException($"The outbox database '{DatabasePath}' (Outbox:Path) cannot be opened: {e.Message}", e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Appends records in one transaction and returns their ids; drops the oldest records when over the byte bound.</summary>
    public async Task<long[]> EnqueueAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        foreach (var payload in payloads)
        {
            if (payload.Length > _maxBytes)
            {
                throw new ArgumentException($"A record of {payload.Length} bytes can never fit the outbox bound of {_maxBytes} bytes.", nameof(payloads));
            }
        }

        var ids = new long[payloads.Count];
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var connection = Connection;
            using var transaction = connection.BeginTransaction();
            var incoming = payloads.Sum(p => (long)p.Length);
            if (_pendingBytes + incoming > _maxBytes)
            {
                DropOldest(connection, transaction, _pendingBytes + incoming - _maxBytes);
            }

            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO outbox (enqueued_ms, payload) VALUES ($t, $p) RETURNING id";
            var time = insert.Parameters.Add("$t", SqliteType.Integer);
            var data = insert.Parameters.Add("$p", SqliteType.Blob);
            time.Value = _time.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < payloads.Count; i++)
            {
                data.Value = payloads[i].ToArray();
                ids[i] = (long)insert.ExecuteScalar()!;
            }

            transaction.Commit();
            _pending += payloads.Count;
            _pendingBytes += incoming;
            Publish();
        }
        finally
        {
            _lock.Release();
        }

        RecordsAdded?.Invoke();
        return ids;
    }

    /// <summary>Appends one record and returns its id.</summary>
    public async Task<long> EnqueueAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        (await EnqueueAsync([payload], cancellationToken))[0];

    /// <summary>The oldest records with an id greater than <paramref name="afterSequence"/>, in id order.</summary>
    public async Task<IReadOnlyList<OutboxRecord>> ReadOldestAsync(int maximum, long afterSequence, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT id, enqueued_ms, payload FROM outbox WHERE id > $after ORDER BY id LIMIT $max";
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$max", maximum);
            using var reader = command.ExecuteReader();
            var records = new List<OutboxRecord>();
            while (reader.Read())
            {
                records.Add(new OutboxRecord(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2)));
            }

            return records;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes every record with an id up to <paramref name="sequence"/>: the broker acknowledged them.</summary>
    public async Task AcknowledgeThroughAsync(long sequence, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var connection = Connection;
            using var transaction = connection.BeginTransaction();
            var (count, bytes) = Measure(connection, transaction, sequence);
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM outbox WHERE id <= $id";
            delete.Parameters.AddWithValue("$id", sequence);
            delete.ExecuteNonQuery();
            transaction.Commit();
            _pending -= count;
            _pendingBytes -= bytes;
            Publish();
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _lock.Release();
        }

        _lock.Dispose();
    }

    private SqliteConnection Connection =>
        _connection ?? throw new InvalidOperationException($"The outbox '{DatabasePath}' is not open; call OpenAsync first.");

    private void DropOldest(SqliteConnection connection, SqliteTransaction transaction, long bytesToFree)
    {
        // Walk the oldest records until enough bytes are freed, then delete them in one statement.
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT id, LENGTH(payload) FROM outbox ORDER BY id";
        long lastId = -1, freed = 0, count = 0;
        using (var reader = select.ExecuteReader())
        {
            while (freed < bytesToFree && reader.Read())
            {
                lastId = reader.GetInt64(0);
                freed += reader.GetInt64(1);
                count++;
            }
        }

        if (count == 0)
        {
            return;
        }

        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM outbox WHERE id <= $id; UPDATE counters SET value = value + $n WHERE name = 'dropped';";
        delete.Parameters.AddWithValue("$id", lastId);
        delete.Parameters.AddWithValue("$n", count);
        delete.ExecuteNonQuery();
        _pending -= count;
        _pendingBytes -= freed;
        _dropped += count;
    }

    private static (long Count, long Bytes) Measure(SqliteConnection connection, SqliteTransaction transaction, long throughId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM outbox WHERE id <= $id";
        command.Parameters.AddWithValue("$id", throughId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Publish() => Statistics.Set(_pending, _pendingBytes, _dropped);
}
