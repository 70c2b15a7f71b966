using Edge.Fleet.Connection;
using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Publishing;
using Edge.Fleet.Storage;
using BrokerConnection = Edge.Fleet.Connection.BrokerConnection;
using Edge.Packaging;

namespace Edge.Fleet.Bench;

/// <summary>
/// Measures model packages on devices through bench jobs (docs/ota.md, "Bench jobs"): each package goes out over the
/// usual OTA transfer (signed job, chunked, resumable, within the device's data budget), the device times it beside
/// the model it serves and deletes it, and the figures come back in its terminal state report. Used by
/// <c>edge-fleet bench</c> and by <c>edge-optimize auto --target device:ID|group:NAME</c>.
/// </summary>
public sealed class DeviceBenchClient : IAsyncDisposable
{
    private readonly BrokerConnection _connection;
    private readonly string _fleet;
    private readonly JobSigner _signer;
    private readonly ChunkServer _chunks;
    private readonly JobStateTracker _states;
    private readonly StatusCollector _statuses;
    private readonly PackageTrust _trust;
    private readonly TimeProvider _time;

    private DeviceBenchClient(BrokerConnection connection, string fleet, JobSigner signer, PackageTrust trust, TimeProvider time)
    {
        _connection = connection;
        _fleet = fleet;
        _signer = signer;
        _trust = trust;
        _time = time;
        _chunks = new ChunkServer(connection.Client, fleet);
        _states = new JobStateTracker(connection.Client, fleet);
        _statuses = new StatusCollector(fleet, time);
    }

    /// <summary>Connects to the broker and starts serving chunks and following job states and device statuses.</summary>
    /// <param name="broker">The broker to use.</param>
    /// <param name="fleet">The fleet id.</param>
    /// <param name="jobKeyPem">The operator's private key (PEM text) that signs job documents.</param>
    /// <param name="trust">Keys whose package signatures are accepted: a package is checked before it is sent, and unsigned ones are refused.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    public static Task<DeviceBenchClient> ConnectAsync(BrokerOptions broker, string fleet, string jobKeyPem, PackageTrust trust, TimeProvider time, CancellationToken cancellationToken) =>
        ConnectAsync(broker, fleet, JobSigner.FromPem(jobKeyPem, "the operator key"), trust, time, cancellationToken);

    /// <summary>As the public overload, with a signer already loaded; the client owns it.</summary>
    /// <exception cref="DeviceBenchUnavailableException">The broker is unreachable or refused the connection.</exception>
    internal static async Task<DeviceBenchClient> ConnectAsync(BrokerOptions broker, string fleet, JobSigner signer, PackageTrust trust, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = new BrokerConnection(broker, time, "bench");
        try
        {
            var client = new DeviceBenchClient(connection, fleet, signer, trust, time);
            await client._statuses.StartAsync(connection, cancellationToken).ConfigureAwait(false);
            await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await client._chunks.StartAsync(cancellationToken).ConfigureAwait(false);
            await client._states.StartAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (FleetException e)
        {
            signer.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DeviceBenchUnavailableException(e.Message, e);
        }
        catch
        {
            signer.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Raised for every state report of a bench job this client sent (progress, the terminal report).</summary>
    public event Action<OtaJobStateReport>? Progress;

    /// <summary>The devices' latest statuses (retained), after waiting briefly for the broker to deliver them.</summary>
    public async Task<IReadOnlyList<StatusPayload>> StatusesAsync(CancellationToken cancellationToken)
    {
        await _statuses.WaitForRetainedAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return [.. _statuses.Statuses.Values.OrderBy(s => s.Device, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The devices to measure a group on: its members (from edge-fleet's store, with the broker's retained statuses),
    /// one online device per hardware class. <paramref name="store"/> is a store as <c>--store</c> takes it
    /// (<c>sqlite:PATH</c> or <c>postgres:CONNECTION-STRING</c>); null is edge-fleet's default
    /// (<c>$EDGE_FLEET_STORE</c>, else <c>~/.edge-fleet/state.db</c>).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="store"/> is not a store.</exception>
    /// <exception cref="DeviceBenchUnavailableException">The store cannot be opened or has no such group.</exception>
    public Task<GroupBenchTargets> GroupTargetsAsync(string group, string? store, CancellationToken cancellationToken) =>
        GroupTargetsAsync(
            group,
            store is not null ? StoreSpec.Parse(store, "the fleet store")
            : Environment.GetEnvironmentVariable("EDGE_FLEET_STORE") is { Length: > 0 } fromEnvironment ? StoreSpec.Parse(fromEnvironment, "EDGE_FLEET_STORE")
            : StoreSpec.Default,
            cancellationToken);

    /// <summary>As the public overload, with the store already parsed.</summary>
    /// <exception cref="DeviceBenchUnavailableException">The store cannot be opened or has no such group.</exception>
    internal async Task<GroupBenchTargets> GroupTargetsAsync(string group, StoreSpec store, CancellationToken cancellationToken)
    {
        IFleetStore? opened = null;
        GroupDefinition definition;
        try
        {
            opened = await FleetStore.OpenAsync(store, _time, cancellationToken).ConfigureAwait(false);
            definition = await opened.Groups.GetAsync(group, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FleetException or InvalidDataException or FormatException)
        {
            if (opened is not null)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
            }

            throw new DeviceBenchUnavailableException($"group '{group}' cannot be read from {store.Identity}: {e.Message}", e);
        }

        await using var owned = opened;
        var statuses = await StatusesAsync(cancellationToken).ConfigureAwait(false);
        await opened.Inventory.SaveStatusesAsync(statuses, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var members = GroupStore.Resolve(definition, [.. (await opened.Inventory.LoadAsync(cancellationToken).ConfigureAwait(false)).Where(d => d.Fleet == _fleet)], _fleet)
            .Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
        var chosen = OnePerHardwareClass(statuses.Where(s => members.Contains(s.Device)), out var skipped);
        return new GroupBenchTargets(members.Count, [.. chosen.Select(s => s.Device)], skipped);
    }

    /// <summary>
    /// Picks one online device per hardware class (<see cref="HardwareFacts.Key"/>) among <paramref name="devices"/>,
    /// the first by id in each class. Devices offline or without hardware facts (agents before they were reported)
    /// are left out and named in <paramref name="skipped"/> with the reason.
    /// </summary>
    public static IReadOnlyList<StatusPayload> OnePerHardwareClass(IEnumerable<StatusPayload> devices, out IReadOnlyList<string> skipped)
    {
        var chosen = new Dictionary<string, StatusPayload>(StringComparer.Ordinal);
        var left = new List<string>();
        foreach (var status in devices.OrderBy(s => s.Device, StringComparer.Ordinal))
        {
            if (status.State != "online")
            {
                left.Add($"{status.Device}: offline");
            }
            else if (status.Facts?.Hardware is not { } hardware)
            {
                left.Add($"{status.Device}: reports no hardware class (agent too old)");
            }
            else
            {
                chosen.TryAdd(hardware.Key, status);
            }
        }

        skipped = left;
        return [.. chosen.Values];
    }

    /// <summary>
    /// Sends <paramref name="packagePath"/> to <paramref name="device"/> as a bench job and waits for its outcome. A
    /// device that does not end the job within <paramref name="timeout"/> (offline, or too slow) gives an outcome
    /// with the problem said and no report; its retained job is withdrawn either way, so a device coming back later
    /// does not run a bench nobody waits for.
    /// </summary>
    /// <exception cref="PackageVerificationException">The package is unsigned or fails verification; nothing is sent.</exception>
    public async Task<DeviceBenchOutcome> MeasureAsync(string packagePath, string device, OtaBenchRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packagePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        var path = Path.GetFullPath(packagePath);
        var info = await PackageInspector.InspectAsync(path, _trust, allowUnsigned: false, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var id = $"bench-{Guid.NewGuid():N}"[..30];
        var job = JobPublisher.CreateJob(info, id, new OtaTransfer(), null, allowDowngrade: false, null, now) with { Bench = request };
        _chunks.Serve(job, path);
        void OnReport(OtaJobStateReport report)
        {
            if (report.JobId == id)
            {
                Progress?.Invoke(report);
            }
        }

        _states.Received += OnReport;
        var publisher = new JobPublisher(_connection.Client, _fleet, _signer);
        try
        {
            await publisher.PublishToDeviceAsync(device, job, cancellationToken).ConfigureAwait(false);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                var report = await _states.WaitForTerminalAsync(device, id, limit.Token).ConfigureAwait(false);
                return new DeviceBenchOutcome { Device = device, JobId = id, Report = report, Problem = report.State == OtaJobStates.Succeeded ? null : report.Reason ?? report.State };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var last = _states.Latest(device, id);
                var seen = last is null ? "it never acknowledged the job (offline?)" : $"its last report was '{last.State}'{(last.Phase is null ? "" : $" ({last.Phase})")}";
                return new DeviceBenchOutcome { Device = device, JobId = id, Problem = $"no result from device {device} within {timeout.TotalSeconds:F0} s: {seen}" };
            }
        }
        finally
        {
            _states.Received -= OnReport;
            try
            {
                await publisher.ClearAsync(OtaTopics.DeviceJob(_fleet, device), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or IOException)
            {
                // Best effort: a retained bench job left behind is ignored by a device that already ended it (the
                // journal knows its id), and replaced by the next job on that topic.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _states.Dispose();
        await _chunks.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _signer.Dispose();
    }
}
