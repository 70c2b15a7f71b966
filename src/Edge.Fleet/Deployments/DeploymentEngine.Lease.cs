namespace Edge.Fleet.Deployments;

/// <summary>
/// The engine's lease and fenced writes: renewing and releasing the lease, and writing the deployment's state and its
/// devices' rows only while the lease holds.
/// </summary>
internal sealed partial class DeploymentEngine
{
    private async Task RenewLeaseAsync(string id, CancellationToken cancellationToken)
    {
        if (Lease is not null && !await _store.TryLeaseAsync(id, Lease, cancellationToken))
        {
            throw await LeaseLostAsync(id, cancellationToken);
        }
    }

    private async Task<DeploymentLeaseLostException> LeaseLostAsync(string id, CancellationToken cancellationToken)
    {
        var holder = await _store.FindAsync(id, cancellationToken);
        return new DeploymentLeaseLostException(
            $"Deployment {id} is driven by {holder?.LeaseOwner ?? "another instance"} (lease until {holder?.LeaseExpires:u}); follow it with 'edge-fleet status {id}'.");
    }

    /// <summary>The fenced write of devices' states: only while this engine's lease holds (always without a lease).</summary>
    private async Task UpdateDevicesAsync(string id, IReadOnlyCollection<DeviceRollout> devices, CancellationToken cancellationToken)
    {
        if (!await _store.UpdateDevicesAsync(id, devices, cancellationToken, Lease?.Owner))
        {
            throw await LeaseLostAsync(id, cancellationToken);
        }
    }

    private async Task ReleaseLeaseAsync(string id)
    {
        if (Lease is not null)
        {
            await _store.ReleaseLeaseAsync(id, Lease.Owner, CancellationToken.None);
        }
    }

    /// <summary>The fenced write of the deployment's state: only from the state this tick read, and only while the lease holds.</summary>
    private async Task SetAsync(DeploymentRecord deployment, string state, string? reason, int wave, string? waveState, DateTimeOffset? waveChanged, CancellationToken cancellationToken)
    {
        if (!await _store.TryUpdateDeploymentAsync(deployment.Id, deployment.State, Lease?.Owner, state, reason, wave, waveState, waveChanged, cancellationToken))
        {
            throw new DeploymentChangedException(
                $"not moved to {state}{(waveState is null ? string.Empty : "/" + waveState)}: the deployment left {deployment.State}, or this engine's lease ran out");
        }
    }
}
