using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Storage;

/// <summary>
/// An open state store: the feature stores over one SQLite file or one PostgreSQL database, made by
/// <see cref="FleetStore.OpenAsync"/>. The caller disposes it, which closes the file or the connection pool; the
/// feature stores are the store's and must not be used after that.
/// </summary>
internal interface IFleetStore : IAsyncDisposable
{
    /// <summary>What was opened, for messages: the SQLite file's full path, or <c>postgres://host:port/database</c>.</summary>
    string Description { get; }

    InventoryStore Inventory { get; }

    GroupStore Groups { get; }

    DeploymentStore Deployments { get; }

    TelemetryStore Telemetry { get; }

    /// <summary>Copies of deployed packages, for instances that take a deployment over.</summary>
    PackageStore Packages { get; }
}
