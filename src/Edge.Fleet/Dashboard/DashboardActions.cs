using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Microsoft.AspNetCore.Http;

namespace Edge.Fleet.Dashboard;

/// <summary>What the authenticated action endpoints do to the store.</summary>
internal static class DashboardActions
{
    private const int MaxReasonLength = 500;

    /// <summary>
    /// Forgets a device as <c>edge-fleet devices forget</c> does in the inventory (status, labels, static group
    /// memberships; telemetry and deployment history stay), refusing a device the store last saw online unless forced.
    /// The dashboard holds no broker connection, so the device's retained status stays on the broker.
    /// </summary>
    public static async Task<DashboardActionResult> ForgetAsync(IFleetStore store, string device, bool force, CancellationToken cancellationToken)
    {
        var known = (await store.Inventory.LoadAsync(cancellationToken)).FirstOrDefault(d => d.Device == device);
        if (known is null)
        {
            return new(StatusCodes.Status404NotFound, $"Device '{device}' is not in the inventory.");
        }

        if (known.Online && !force)
        {
            return new(StatusCodes.Status409Conflict, $"Device '{device}' is online; stop its agent first (it would announce itself again), or force.");
        }

        await store.Inventory.ForgetAsync(device, cancellationToken);
        return new(StatusCodes.Status200OK,
            $"Forgot device '{device}': inventory entry, labels and group memberships removed; its retained status on the broker is not cleared (use 'edge-fleet devices forget').");
    }

    /// <summary>
    /// Aborts a running deployment: its pending devices are skipped, it is marked aborted with the operator's reason,
    /// and an event is added. A running engine re-reads the deployment every tick and stops starting jobs; jobs already
    /// published finish or time out as in any abort.
    /// </summary>
    public static async Task<DashboardActionResult> AbortAsync(IFleetStore store, string id, string? reason, TimeProvider time, CancellationToken cancellationToken)
    {
        var cleaned = string.Concat((reason ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        if (cleaned.Length == 0 || cleaned.Length > MaxReasonLength)
        {
            return new(StatusCodes.Status400BadRequest, $"An abort needs a reason of 1 to {MaxReasonLength} characters; got {cleaned.Length}.");
        }

        if (await store.Deployments.FindAsync(id, cancellationToken) is not { } deployment)
        {
            return new(StatusCodes.Status404NotFound, $"Unknown deployment '{id}'.");
        }

        if (deployment.State != RolloutStates.Running)
        {
            return new(StatusCodes.Status409Conflict, $"Deployment '{id}' is {deployment.State}; only a running deployment can be aborted.");
        }

        var pending = (await store.Deployments.DevicesAsync(id, cancellationToken))
            .Where(d => d.State == RolloutStates.Pending)
            .Select(d => d with { State = RolloutStates.Skipped, Reason = "rollout aborted" })
            .ToList();
        if (pending.Count > 0)
        {
            await store.Deployments.UpdateDevicesAsync(id, pending, cancellationToken);
        }

        var stored = $"operator: {cleaned}";
        await store.Deployments.UpdateDeploymentAsync(id, RolloutStates.Aborted, stored, deployment.CurrentWave, null, time.GetUtcNow(), cancellationToken);
        await store.Deployments.AddEventAsync(id, $"aborted by the operator from the dashboard: {cleaned}", cancellationToken);
        return new(StatusCodes.Status200OK, $"Aborted deployment '{id}' ({pending.Count} pending devices skipped): {cleaned}");
    }
}
