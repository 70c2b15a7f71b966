using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Storage.Sqlite;

/// <summary>
/// The tool's state: one SQLite file (WAL journal, synchronous=NORMAL) holding groups, labels, the inventory cache,
/// deployments with their per-device state, and a bounded telemetry history. Every write commits before the tool
/// acts on it, so a tool stopped or killed at any point restarts from what the file says (in WAL mode a committed
/// transaction survives a process crash; NORMAL may lose the last commits on power loss, which the retained state
/// reports re-deliver). One connection, used by one dedicated thread: SQLite calls block, and running them on
/// thread-pool threads starved the MQTT receive loop with 500 devices; the feature stores share it.
/// </summary>
internal sealed class FleetDatabase : IAsyncDisposable
{
    /// <summary>Bumped when the schema changes; <see cref="OpenAsync"/> refuses a newer file.</summary>
    public const int SchemaVersion = 4;

    private readonly BlockingCollection<Action> _work = [];
    private readonly SqliteConnection _connection;
    private readonly Thread _thread;

    private FleetDatabase(string path, SqliteConnection connection)
    {
        DatabasePath = path;
        _connection = connection;
        _thread = new Thread(() =>
        {
            foreach (var item in _work.GetConsumingEnumerable())
            {
                item();
            }
        })
        {
            IsBackground = true,
            Name = "edge-fleet-state",
        };
        _thread.Start();
    }

    public string DatabasePath { get; }

    /// <summary>The default state file: <c>$EDGE_FLEET_STATE</c>, else <c>~/.edge-fleet/state.db</c>.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("EDGE_FLEET_STATE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".edge-fleet", "state.db");

    /// <summary>
    /// Opens or creates the state database and brings its schema up to date. Only the default path's folder
    /// (~/.edge-fleet) is created; for any other path the folder must exist, so a typo does not grow a folder tree.
    /// </summary>
    /// <exception cref="InvalidDataException">The path is a folder, its folder is missing, the file cannot be opened, is
    /// not a database or was written by a newer edge-fleet.</exception>
    public static async Task<FleetDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new InvalidDataException($"The state file '{fullPath}' is a folder; expected a database file, for example '{Path.Combine(fullPath, "state.db")}'.");
        }

        var folder = Path.GetDirectoryName(fullPath)!;
        if (string.Equals(fullPath, Path.GetFullPath(DefaultPath), StringComparison.Ordinal))
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            throw new InvalidDataException($"The state file's folder '{folder}' {Edge.Sdk.IO.PathProblem.ForFolder(folder)}; create it, or pass a --state path in an existing folder.");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 14)
            {
                throw new InvalidDataException($"The state file '{fullPath}' cannot be opened (SQLite: {e.Message}); check that its folder is writable.", e);
            }

            try
            {
                Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 26)
            {
                throw new InvalidDataException($"The state file '{fullPath}' is not an edge-fleet database (SQLite: {e.Message}).", e);
            }

            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new InvalidDataException($"The state file '{fullPath}' has schema version {version}; this edge-fleet understands up to {SchemaVersion}. Use a newer edge-fleet.");
            }

            if (version < SchemaVersion)
            {
                using var transaction = connection.BeginTransaction();
                if (version < 1)
                {
                    Execute(connection, FleetSchema.Version1, transaction);
                }

                if (version < 2)
                {
                    Execute(connection, FleetSchema.Version2, transaction);
                }

                if (version < 3)
                {
                    Execute(connection, FleetSchema.Version3, transaction);
                }

                Execute(connection, FleetSchema.Version4, transaction);
                Execute(connection, $"PRAGMA user_version={SchemaVersion}", transaction);
                transaction.Commit();
            }

            return new FleetDatabase(fullPath, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on the shared connection, on the database thread, after the work queued before it.</summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                completion.TrySetResult(work(_connection));
            }
#pragma warning disable CA1031 // Handed to the caller through the task.
            catch (Exception e)
#pragma warning restore CA1031
            {
                completion.TrySetException(e);
            }
        }, CancellationToken.None);
        return completion.Task;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction while holding the lock; commits only if it returns.</summary>
    public Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        RunAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _work.CompleteAdding();
        await Task.Run(_thread.Join);
        await _connection.DisposeAsync();
        _work.Dispose();
    }

    public static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, transaction, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
