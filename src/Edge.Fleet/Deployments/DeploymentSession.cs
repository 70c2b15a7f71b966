using Edge.Fleet.Connection;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Publishing;
using BrokerConnection = Edge.Fleet.Connection.BrokerConnection;
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
    private readonly Dictionary<string, (OtaPackageInfo Info, string File)> _packages = new(StringComparer.Ordinal);
    private Task _background = Task.CompletedTask;

    /// <param name="signer">The operator key that signs every job document; not owned.</param>
    /// <param name="store">The state store; not owned.</param>
    public DeploymentSession(IFleetStore store, BrokerConnection connection, string fleet, JobSigner signer, TimeProvider time)
    {
        Store = store;
        Connection = connection;
        Fleet = fleet;
        Time = time;
        Deployments = store.Deployments;
        Telemetry = store.Telemetry;
        Inventory = store.Inventory;
        Statuses = new StatusCollector(fleet, time);
        Ingestor = new TelemetryIngestor(fleet, new FleetMonitorState(), Telemetry, Inventory, time);
        Publisher = new MqttJobPublisher(connection, fleet, signer);
        Chunks = new ChunkServer(connection.Client, fleet);
        Jobs = new ServingJobPublisher(Publisher, Chunks, sha256 => _packages.Values.FirstOrDefault(p => p.Info.Sha256 == sha256).File);
    }

    public IFleetStore Store { get; }

    public BrokerConnection Connection { get; }

    public string Fleet { get; }

    public TimeProvider Time { get; }

    public DeploymentStore Deployments { get; }

    public TelemetryStore Telemetry { get; }

    public InventoryStore Inventory { get; }

    public StatusCollector Statuses { get; }

    public TelemetryIngestor Ingestor { get; }

    public MqttJobPublisher Publisher { get; }

    /// <summary>Answers the devices' chunk requests for the packages of this session's jobs.</summary>
    public ChunkServer Chunks { get; }

    /// <summary>What the engine publishes through: serves the package, then publishes the job.</summary>
    public ServingJobPublisher Jobs { get; }

    /// <summary>Registers a verified package by path, so job documents can name it.</summary>
    /// <param name="path">The path the deployment records.</param>
    /// <param name="info">The verified package's facts.</param>
    /// <param name="file">Where the file is on this machine when not at <paramref name="path"/> (a copy from the store).</param>
    public void AddPackage(string path, OtaPackageInfo info, string? file = null) =>
        _packages[Path.GetFullPath(path)] = (info, Path.GetFullPath(file ?? path));

    public OtaPackageInfo PackageInfo(string path) =>
        _packages.TryGetValue(Path.GetFullPath(path), out var package)
            ? package.Info
            : throw new InvalidOperationException($"Package '{path}' was not verified in this session; pass it again (it is needed to serve its chunks).");

    /// <summary>Starts the session as a command runs it: it stores statuses and telemetry itself.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => StartAsync(ingest: true, cancellationToken);

    /// <param name="ingest">
    /// Whether this session stores the fleet's statuses and telemetry itself (a command), or leaves that to the
    /// <c>serve</c> instance it runs in, which ingests them through its shared subscription.
    /// </param>
    public async Task StartAsync(bool ingest, CancellationToken cancellationToken)
    {
        if (ingest)
        {
            await Statuses.StartAsync(Connection, cancellationToken);
            await Ingestor.StartAsync(Connection, null, cancellationToken);
        }

        await Publisher.StartAsync(cancellationToken);
        await Chunks.StartAsync(cancellationToken);

        // Also through the connection, which restores its subscriptions after a reconnect (clean session).
        await Connection.SubscribeAsync(OtaTopics.ChunkRequestFilter(Fleet), cancellationToken);
        _background = ingest
            ? Task.WhenAll(Ingestor.RunStorageAsync(TimeSpan.FromMilliseconds(500), _stop.Token), Connection.KeepConnectedAsync(_stop.Token))
            : Connection.KeepConnectedAsync(_stop.Token);
    }

    /// <summary>Waits for the retained status burst and saves it, then returns the fleet's inventory.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> RefreshInventoryAsync(CancellationToken cancellationToken)
    {
        await Statuses.WaitForRetainedAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), cancellationToken);
        await Inventory.SaveStatusesAsync(Statuses.Statuses.Values.ToArray(), Time.GetUtcNow(), cancellationToken);
        return (await Inventory.LoadAsync(cancellationToken)).Where(d => d.Fleet == Fleet).ToArray();
    }

    /// <summary>An engine over this session that drives under <paramref name="lease"/>.</summary>
    public DeploymentEngine Engine(Action<string>? log, DeploymentLease lease) => new(Deployments, Telemetry, Jobs, Time, log) { PackageInfo = PackageInfo, Lease = lease };

    /// <summary>Serves the packages of jobs already published (after a restart, devices may still be downloading).</summary>
    public async Task ServePublishedAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var deployment = await Deployments.GetAsync(deploymentId, cancellationToken);
        Jobs.Serve(new OtaJobDocument { JobId = deployment.Id, Package = PackageInfo(deployment.PackagePath) });
        if (deployment.Options.RollbackPackage is { } rollback && _packages.ContainsKey(Path.GetFullPath(rollback)))
        {
            Jobs.Serve(new OtaJobDocument { JobId = DeploymentEngine.RollbackJobId(deployment.Id), Package = PackageInfo(rollback) });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _background;
        await Chunks.DisposeAsync();
        _stop.Dispose();
    }
}
