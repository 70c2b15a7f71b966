using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Storage.Postgres;

/// <summary>The feature stores over one PostgreSQL database; disposing closes the connection pool.</summary>
internal sealed class PostgresFleetStore : IFleetStore
{
    public PostgresFleetStore(PostgresDatabase database, TimeProvider time, TelemetryRetention retention)
    {
        Database = database;
        Inventory = new PostgresInventoryStore(database);
        Groups = new PostgresGroupStore(database, time);
        Deployments = new PostgresDeploymentStore(database, time);
        Telemetry = new PostgresTelemetryStore(database, retention.Raw, retention.Aggregates);
        Packages = new PostgresPackageStore(database, time);
    }

    public PostgresDatabase Database { get; }

    public string Description => Database.Description;

    public InventoryStore Inventory { get; }

    public GroupStore Groups { get; }

    public DeploymentStore Deployments { get; }

    public TelemetryStore Telemetry { get; }

    public PackageStore Packages { get; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
