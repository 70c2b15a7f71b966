namespace Edge.Fleet.Deployments;

/// <summary>
/// A new deployment targets devices that still have an unfinished job from another deployment. Overlaps are
/// refused rather than queued: the operator decides (wait, or roll the other one back), as documented in docs/fleet.md.
/// </summary>
internal sealed class DeploymentConflictException : FleetException
{
    public DeploymentConflictException(IReadOnlyList<(string Device, string Deployment)> conflicts)
        : base($"{conflicts.Count} device(s) of the group still have an unfinished job from another deployment: " +
            string.Join(", ", conflicts.Take(5).Select(c => $"{c.Device} ({c.Deployment})")) + (conflicts.Count > 5 ? ", …" : string.Empty) +
            ". Overlapping deployments are refused; wait for it to finish or abort/roll it back ('dotnet edge-fleet status' / 'rollback').")
    {
        Conflicts = conflicts;
    }

    public IReadOnlyList<(string Device, string Deployment)> Conflicts { get; }
}
