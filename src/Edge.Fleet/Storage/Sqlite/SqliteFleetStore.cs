using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Storage.Sqlite;

/// <summary>The feature stores over one SQLite state file; disposing closes the file.</summary>
internal sealed class SqliteFleetStore : IFleetStore
{
    public SqliteFleetStore(FleetDatabase database, TimeProvider time, TelemetryRetention? retention = null)
    {
        Database = database;
        Inventory = new SqliteInventoryStore(database);
        Groups = new SqliteGroupStore(database, time);
        Deployments = new SqliteDeploymentStore(database, time);
        Telemetry = new SqliteTelemetryStore(database, maxAge: (retention ?? new TelemetryRetention()).Raw);
        Packages = new LocalPackageStore();
    }

    public FleetDatabase Database { get; }

    public string Description => Database.DatabasePath;

    public InventoryStore Inventory { get; }

    public GroupStore Groups { get; }

    public DeploymentStore Deployments { get; }

    public TelemetryStore Telemetry { get; }

    public PackageStore Packages { get; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
