using Edge.Fleet.Connection;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage;
using Edge.Protocol.Ota;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Everything a running deployment needs around the <see cref="DeploymentEngine"/>, on one broker connection: the
/// fleet's statuses (inventory), telemetry ingestion into the store (KPIs), the job publisher, and package serving
/// for the jobs published. <c>deploy</c>, <c>resume</c> and <c>rollback</c> run the engine through it.
/// </summary>
internal sealed class DeploymentSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, OtaPackageInfo> _packages = new(StringComparer.Ordinal);
    private Task _background = Task.CompletedTask;

    public DeploymentSession(FleetDatabase database, BrokerConnection connection, string fleet, TimeProvider time)
    {
        Database = database;
        Connection = connection;
        Fleet = fleet;
        Time = time;
        Deployments = new DeploymentStore(database, time);
        Telemetry = new TelemetryStore(database);
        Inventory = new InventoryStore(database);
        Statuses = new StatusCollector(fleet, time);
        Ingestor = new TelemetryIngestor(fleet, new FleetMonitorState(), Telemetry, Inventory, time);
        Publisher = new MqttJobPublisher(connection, fleet);
    }

    public FleetDatabase Database { get; }

    public BrokerConnection Connection { get; }

    public string Fleet { get; }

    public TimeProvider Time { get; }

    public DeploymentStore Deployments { get; }

    public TelemetryStore Telemetry { get; }

    public InventoryStore Inventory { get; }

    public StatusCollector Statuses { get; }

    public TelemetryIngestor Ingestor { get; }

    public MqttJobPublisher Publisher { get; }

    /// <summary>Registers a verified package by path, so job documents can name it.</summary>
    public void AddPackage(string path, OtaPackageInfo info) => _packages[Path.GetFullPath(path)] = info;

    public OtaPackageInfo PackageInfo(string path) =>
        _packages.TryGetValue(Path.GetFullPath(path), out var info)
            ? info
            : throw new InvalidOperationException($"Package '{path}' was not verified in this session; pass it again (it is needed to serve its chunks).");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Statuses.StartAsync(Connection, cancellationToken);
        await Ingestor.StartAsync(Connection, null, cancellationToken);
        await Publisher.StartAsync(cancellationToken);
        _background = Task.WhenAll(Ingestor.RunStorageAsync(TimeSpan.FromMilliseconds(500), _stop.Token), Connection.KeepConnectedAsync(_stop.Token));
    }

    /// <summary>Waits for the retained status burst and saves it, then returns the fleet's inventory.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> RefreshInventoryAsync(CancellationToken cancellationToken)
    {
        await Statuses.WaitForRetainedAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), cancellationToken);
        await Inventory.SaveStatusesAsync(Statuses.Statuses.Values.ToArray(), Time.GetUtcNow(), cancellationToken);
        return (await Inventory.LoadAsync(cancellationToken)).Where(d => d.Fleet == Fleet).ToArray();
    }

    public DeploymentEngine Engine(Action<string>? log) => new(Deployments, Telemetry, Publisher, Time, log) { PackageInfo = PackageInfo };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _background;
        _stop.Dispose();
    }
}
