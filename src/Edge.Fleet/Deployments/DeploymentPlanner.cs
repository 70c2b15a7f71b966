using Edge.Fleet.Inventory;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Turns a group's devices and the options into a <see cref="DeploymentPlan"/>. Online devices come first (sorted by id),
/// so the canary waves go to devices that can answer; offline ones come last and get their retained job when they return.
/// </summary>
internal static class DeploymentPlanner
{
    public static DeploymentPlan Plan(string id, string group, string packagePath, string packageName, string packageVersion, DeploymentOptions options, IReadOnlyList<DeviceRecord> devices)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid deployment options: " + string.Join(" ", errors));
        }

        if (devices.Count == 0)
        {
            throw new ArgumentException($"Group '{group}' has no devices; nothing to deploy. Check its selector with 'dotnet edge-fleet devices --group {group}'.");
        }

        var ordered = devices.OrderByDescending(d => d.Online).ThenBy(d => d.Device, StringComparer.Ordinal).ToArray();
        var waves = WavePlan.Parse(options.Waves).Assign(ordered.Length);
        var planned = ordered.Select((d, i) => (d.Device, waves[i], Previous(d, packageName), d.Online)).ToArray();
        return new DeploymentPlan(id, group, packagePath, packageName, packageVersion, options, planned);
    }

    /// <summary>A new deployment id: <c>dep-</c> and 8 hex digits.</summary>
    public static string NewId() => "dep-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Stores the plan as a running deployment (without a lease, so any <c>serve</c> instance may drive it).</summary>
    public static Task CreateAsync(DeploymentStore store, DeploymentPlan plan, CancellationToken cancellationToken) =>
        CreateAsync(store, plan, null, null, null, hold: false, cancellationToken);

    /// <summary>
    /// Stores the plan as a running deployment with its packages' SHA-256 (by which the store keeps their copies) and,
    /// given a <paramref name="lease"/>, held by its creator from the start.
    /// </summary>
    /// <param name="hold">Store it paused instead (<c>deploy --detach --hold</c>): nothing is published until an operator starts it.</param>
    public static Task CreateAsync(
        DeploymentStore store, DeploymentPlan plan, string? packageSha256, string? rollbackSha256, DeploymentLease? lease, bool hold, CancellationToken cancellationToken) =>
        store.CreateAsync(new DeploymentRecord
        {
            Id = plan.Id,
            PackagePath = plan.PackagePath,
            PackageName = plan.PackageName,
            PackageVersion = plan.PackageVersion,
            Group = plan.Group,
            Options = plan.Options,
            State = hold ? RolloutStates.Paused : RolloutStates.Running,
            Reason = hold ? HeldReason : null,
            PackageSha256 = packageSha256,
            RollbackSha256 = rollbackSha256,
        }, plan.Devices.Select(d => (d.Device, d.Wave, d.PreviousVersion)).ToArray(), lease, cancellationToken);

    /// <summary>The reason a deployment created on hold shows until it is started.</summary>
    public const string HeldReason = "created paused; start it from the dashboard or with edge-fleet resume";

    private static string? Previous(DeviceRecord device, string model) =>
        device.Models.FirstOrDefault(m => m.Name == model)?.Version;
}
