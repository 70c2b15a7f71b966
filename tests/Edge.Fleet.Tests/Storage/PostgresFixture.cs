using Edge.TestUtilities.Postgres;

namespace Edge.Fleet.Tests.Storage;

/// <summary>One real PostgreSQL cluster per test class (a database per test comes from <see cref="CreateDatabaseAsync"/>).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture did not start.");

    /// <summary>A fresh, empty database; its Npgsql connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
