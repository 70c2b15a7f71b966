using Edge.Fleet.Connection;
using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage.Sqlite;
using Edge.Protocol.Ota;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// The fleet tool's side, wired as the deploy command wires it: state database, broker connection, status
/// collector, telemetry ingestion into the store, job publisher and wave engine. Disposing it is "stopping the
/// tool"; a new harness on the same <see cref="DatabasePath"/> is "restarting" it.
/// </summary>
internal sealed class FleetToolHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Edge.Fleet.Publishing.JobSigner _signer = OperatorKey.CreateSigner();
    private Task _background = Task.CompletedTask;

    private FleetToolHarness(string databasePath, FleetDatabase database, BrokerConnection connection, string fleet)
    {
        DatabasePath = databasePath;
        Database = database;
        Connection = connection;
        Fleet = fleet;
        Deployments = new SqliteDeploymentStore(database, TimeProvider.System);
        Telemetry = new SqliteTelemetryStore(database);
        Inventory = new SqliteInventoryStore(database);
        Statuses = new StatusCollector(fleet, TimeProvider.System);
        State = new FleetMonitorState();
        Ingestor = new TelemetryIngestor(fleet, State, Telemetry, Inventory, TimeProvider.System);
        Publisher = new MqttJobPublisher(connection, fleet, _signer);
    }

    public string DatabasePath { get; }

    public string Fleet { get; }

    public FleetDatabase Database { get; }

    public BrokerConnection Connection { get; }

    public DeploymentStore Deployments { get; }

    public TelemetryStore Telemetry { get; }

    public InventoryStore Inventory { get; }

    public StatusCollector Statuses { get; }

    public FleetMonitorState State { get; }

    public TelemetryIngestor Ingestor { get; }

    public MqttJobPublisher Publisher { get; }

    public static async Task<FleetToolHarness> StartAsync(string host, int port, string fleet, string databasePath)
    {
        var database = await FleetDatabase.OpenAsync(databasePath, CancellationToken.None);
        var connection = new BrokerConnection(new BrokerOptions { Host = host, Port = port }, TimeProvider.System, "test");
        var harness = new FleetToolHarness(databasePath, database, connection, fleet);
        await connection.ConnectAsync(CancellationToken.None);
        await harness.Statuses.StartAsync(connection, CancellationToken.None);
        await harness.Ingestor.StartAsync(connection, null, CancellationToken.None);
        await harness.Publisher.StartAsync(CancellationToken.None);
        harness._background = Task.WhenAll(
            harness.Ingestor.RunStorageAsync(TimeSpan.FromMilliseconds(200), harness._stop.Token),
            connection.KeepConnectedAsync(harness._stop.Token));
        return harness;
    }

    public DeploymentEngine Engine() => new(Deployments, Telemetry, Publisher, TimeProvider.System)
    {
        TickInterval = TimeSpan.FromMilliseconds(100),
        PackageInfo = path => new OtaPackageInfo { Name = "mnist", Version = Path.GetFileNameWithoutExtension(path), Size = 1000, Sha256 = new string('a', 64) },
    };

    /// <summary>Waits until the retained statuses of <paramref name="devices"/> arrived and are saved, then returns the inventory.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> InventoryAsync(int devices)
    {
        await WaitUntilAsync(() => Statuses.Statuses.Count >= devices, TimeSpan.FromSeconds(30), () => $"{Statuses.Statuses.Count} of {devices} statuses");
        await Inventory.SaveStatusesAsync(Statuses.Statuses.Values.ToArray(), TimeProvider.System.GetUtcNow(), CancellationToken.None);
        return await Inventory.LoadAsync(CancellationToken.None);
    }

    /// <summary>Waits until telemetry of the previous version is stored for at least <paramref name="rows"/> rows.</summary>
    public async Task WaitForTelemetryAsync(long rows) =>
        await WaitUntilAsync(() => Ingestor.Stored >= rows, TimeSpan.FromSeconds(30), () => $"{Ingestor.Stored} of {rows} telemetry rows stored");

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds} s: {describe()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _background;
        await Connection.DisposeAsync();
        await Database.DisposeAsync();
        _stop.Dispose();
        _signer.Dispose();
    }
}
