using System.Text.Json;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Deployments and their per-device state in the state store. Every change commits before it is acted on.
/// Implemented over SQLite (<see cref="SqliteDeploymentStore"/>) and PostgreSQL (<see cref="PostgresDeploymentStore"/>);
/// owned by the <see cref="Storage.IFleetStore"/> that made it.
/// </summary>
internal abstract class DeploymentStore
{
    /// <summary>How <see cref="DeploymentOptions"/> are stored (web defaults: camelCase).</summary>
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected DeploymentStore(TimeProvider time) => Time = time;

    /// <summary>Stamps created, updated and event times.</summary>
    protected TimeProvider Time { get; }

    /// <summary>Creates a deployment with its devices assigned to waves, refusing devices with an open job elsewhere.</summary>
    /// <exception cref="DeploymentConflictException">Some device has an unfinished job in another deployment.</exception>
    /// <param name="lease">Taken in the same transaction, so no <c>serve</c> instance picks up a deployment its creator runs.</param>
    public abstract Task CreateAsync(DeploymentRecord deployment, IReadOnlyList<(string Device, int Wave, string? PreviousVersion)> devices, DeploymentLease? lease, CancellationToken cancellationToken);

    /// <summary>Without a lease: any <c>serve</c> instance that drives rollouts may take it.</summary>
    public Task CreateAsync(DeploymentRecord deployment, IReadOnlyList<(string Device, int Wave, string? PreviousVersion)> devices, CancellationToken cancellationToken) =>
        CreateAsync(deployment, devices, null, cancellationToken);

    public abstract Task<DeploymentRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <exception cref="ArgumentException">No deployment has that id.</exception>
    public async Task<DeploymentRecord> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } found)
        {
            return found;
        }

        var known = await ListAsync(cancellationToken);
        throw new ArgumentException($"Unknown deployment '{id}'; known: {(known.Count == 0 ? "none" : string.Join(", ", known.TakeLast(10).Select(d => d.Id)))}.");
    }

    /// <summary>Every deployment, oldest first.</summary>
    public abstract Task<IReadOnlyList<DeploymentRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The devices of a deployment by wave, then device id.</summary>
    public abstract Task<IReadOnlyList<DeviceRollout>> DevicesAsync(string id, CancellationToken cancellationToken);

    /// <summary>Updates one device; a terminal state also records when it finished.</summary>
    public Task<bool> UpdateDeviceAsync(string id, DeviceRollout device, CancellationToken cancellationToken, string? leaseOwner = null) =>
        UpdateDevicesAsync(id, [device], cancellationToken, leaseOwner);

    /// <summary>
    /// Updates several devices in one transaction (a tick's worth of state reports). With <paramref name="leaseOwner"/>
    /// the write is fenced like <see cref="TryUpdateDeploymentAsync"/>: only while that owner holds the deployment's
    /// unexpired lease; otherwise nothing is written and the result is false.
    /// </summary>
    public abstract Task<bool> UpdateDevicesAsync(string id, IReadOnlyCollection<DeviceRollout> devices, CancellationToken cancellationToken, string? leaseOwner = null);

    public abstract Task UpdateDeploymentAsync(string id, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken);

    /// <summary>
    /// The engine's fenced write: updates the deployment only while it is still in <paramref name="expectedState"/>
    /// and, with a <paramref name="leaseOwner"/>, only while that owner's lease is unexpired. False when nothing was
    /// written (an operator changed the state, or the lease is gone).
    /// </summary>
    public abstract Task<bool> TryUpdateDeploymentAsync(string id, string expectedState, string? leaseOwner, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the deployment's lease for <paramref name="lease"/>'s owner, or renews it: succeeds when nobody holds it,
    /// the owner already does, or the holder's lease has run out. Then the lease lasts <see cref="DeploymentLease.Ttl"/>.
    /// </summary>
    public abstract Task<bool> TryLeaseAsync(string id, DeploymentLease lease, CancellationToken cancellationToken);

    /// <summary>Gives the lease up, if <paramref name="owner"/> holds it, so another instance need not wait for it to run out.</summary>
    public abstract Task ReleaseLeaseAsync(string id, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Deployments that still need an engine: running or paused, or with jobs in flight (an abort waits for them,
    /// a rollback follows its jobs), oldest first.
    /// </summary>
    public abstract Task<IReadOnlyList<DeploymentRecord>> UnfinishedAsync(CancellationToken cancellationToken);

    public abstract Task AddEventAsync(string id, string message, CancellationToken cancellationToken);

    /// <summary>The events of a deployment in the order they were added.</summary>
    public abstract Task<IReadOnlyList<(DateTimeOffset At, string Message)>> EventsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Open jobs per device (<c>deployment (state)</c>), for the inventory.</summary>
    public abstract Task<IReadOnlyDictionary<string, string>> OpenJobsAsync(CancellationToken cancellationToken);

    /// <summary>The first event of every deployment.</summary>
    protected static string CreatedEvent(DeploymentRecord deployment, IReadOnlyList<(string Device, int Wave, string? PreviousVersion)> devices) =>
        $"created for group {deployment.Group}: {devices.Count} devices in {devices.Select(d => d.Wave).DefaultIfEmpty(-1).Max() + 1} waves";

    /// <summary>One open job as the inventory shows it, e.g. <c>dep-42 (downloading 40%)</c>.</summary>
    protected static string OpenJob(string deployment, string state, double? progress) =>
        $"{deployment} ({state}{(progress is { } value ? $" {value:F0}%" : string.Empty)})";
}
