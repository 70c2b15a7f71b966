using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Microsoft.AspNetCore.Http;

namespace Edge.Fleet.Dashboard;

/// <summary>What the authenticated action endpoints do to the store (and, inside <c>serve</c>, to the broker).</summary>
internal static class DashboardActions
{
    /// <summary>How the dashboard's deployment actions are named in events: "paused by the operator from the dashboard".</summary>
    public const string Via = "from the dashboard";

    /// <summary>
    /// Forgets a device as <c>edge-fleet devices forget</c> does in the inventory (status, labels, static group
    /// memberships; telemetry and deployment history stay), refusing a device the store last saw online unless forced.
    /// With a <paramref name="clearer"/> (the dashboard inside <c>serve</c>) its retained status and OTA state on the
    /// broker are cleared first, and nothing is forgotten when that fails; without one they stay on the broker.
    /// </summary>
    public static async Task<DashboardActionResult> ForgetAsync(
        IFleetStore store, IRetainedStatusClearer? clearer, string device, bool force, CancellationToken cancellationToken)
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

        if (clearer is null)
        {
            await store.Inventory.ForgetAsync(device, cancellationToken);
            return new(StatusCodes.Status200OK,
                $"Forgot device '{device}': inventory entry, labels and group memberships removed; its retained status on the broker is not cleared (this dashboard has no broker; use 'edge-fleet devices forget').");
        }

        try
        {
            await clearer.ClearAsync(device, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new(StatusCodes.Status503ServiceUnavailable,
                $"Device '{device}' was not forgotten: clearing its retained status on the {clearer.Description} failed ({e.Message}).");
        }

        await store.Inventory.ForgetAsync(device, cancellationToken);
        return new(StatusCodes.Status200OK,
            $"Forgot device '{device}': inventory entry, labels and group memberships removed, retained status and OTA state cleared on the {clearer.Description}.");
    }

    /// <summary>
    /// Runs a deployment action (<c>pause</c>, <c>resume</c> or its alias <c>start</c>, <c>abort</c>, <c>rollback</c>)
    /// through <see cref="DeploymentControl"/>; an unknown action is not found.
    /// </summary>
    public static async Task<DashboardActionResult> DeploymentAsync(
        IFleetStore store, TimeProvider time, string id, string action, string? reason, CancellationToken cancellationToken)
    {
        var control = new DeploymentControl(store.Deployments, time, Via);
        var outcome = action switch
        {
            "pause" => await control.PauseAsync(id, cancellationToken),
            "resume" or "start" => await control.ResumeAsync(id, cancellationToken),
            "abort" => await control.AbortAsync(id, reason, cancellationToken),
            "rollback" => await control.RequestRollbackAsync(id, cancellationToken),
            _ => null,
        };
        return outcome is null
            ? new(StatusCodes.Status404NotFound, $"Unknown action '{action}': use pause, resume, start, abort or rollback.")
            : new(outcome.Status switch
            {
                DeploymentActionStatus.Done => StatusCodes.Status200OK,
                DeploymentActionStatus.NotFound => StatusCodes.Status404NotFound,
                DeploymentActionStatus.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            }, outcome.Message);
    }
}
