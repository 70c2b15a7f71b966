using System.Net.Sockets;
using Npgsql;

namespace Edge.Fleet.Storage.Postgres;

/// <summary>
/// The tool's state in a PostgreSQL database, shared by every edge-fleet instance pointed at it. A pooled
/// <see cref="NpgsqlDataSource"/>: each unit of work borrows a connection, so instances and concurrent callers write
/// side by side, each in its own transaction. Opening applies the versioned migrations (<see cref="PostgresMigrations"/>).
/// The caller disposes it, which closes the pool.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    private PostgresDatabase(NpgsqlDataSource source, string description)
    {
        _source = source;
        Description = description;
    }

    /// <summary><c>postgres://host:port/database</c>, without credentials.</summary>
    public string Description { get; }

    /// <summary>Connects, then brings the schema up to date.</summary>
    /// <exception cref="StoreUnavailableException">The connection string is not valid, the server is unreachable or refuses the connection, or the user may not create the schema.</exception>
    /// <exception cref="InvalidDataException">The database's schema is newer than this edge-fleet.</exception>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSource source;
        string description;
        try
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.ApplicationName ??= "edge-fleet";
            description = StoreSpec.PostgresIdentity(builder.ConnectionStringBuilder);
            source = builder.Build();
        }
        catch (ArgumentException e)
        {
            throw new StoreUnavailableException(
                $"The PostgreSQL connection string is not valid ({StoreSpec.OneLine(e.Message)}); expected Npgsql keywords such as Host=db;Port=5432;Database=fleet;Username=edge.", e);
        }

        var database = new PostgresDatabase(source, description);
        try
        {
            await using (var connection = await database.ConnectAsync(cancellationToken))
            {
                try
                {
                    await PostgresMigrations.ApplyAsync(connection, description, time, cancellationToken);
                }
                catch (PostgresException e)
                {
                    // Typically 42501: the user may connect but not create the tables.
                    throw new StoreUnavailableException(
                        $"PostgreSQL at {description} refused the schema migration ({e.SqlState}: {StoreSpec.OneLine(e.MessageText)}); expected a user that may create tables in the database.", e);
                }
            }

            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on a pooled connection; commits only if it returns.</summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>A command with <c>@name</c> parameters; times are sent as UTC (<c>timestamptz</c>), null as SQL NULL.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value switch
            {
                null => DBNull.Value,
                DateTimeOffset time => time.ToUniversalTime(),
                _ => value,
            });
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(
        NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            // Refused by the server: wrong password (28P01), no such role or no access (28000), no such database (3D000).
            throw new StoreUnavailableException(
                $"PostgreSQL at {Description} refused the connection ({e.SqlState}: {StoreSpec.OneLine(e.MessageText)}); expected an existing database and a user allowed to use it.", e);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or ArgumentException)
        {
            throw new StoreUnavailableException(
                $"Cannot reach PostgreSQL at {Description} ({StoreSpec.OneLine(e.Message)}); expected a running server accepting connections there (check Host and Port in --store postgres:...).", e);
        }
    }
}
