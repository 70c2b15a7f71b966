namespace Edge.Fleet.Deployments;

/// <summary>The outcome of an operator's action on a deployment: how it ended and one readable line saying so.</summary>
/// <param name="Status">Done, not found, conflict or bad request.</param>
/// <param name="Message">One line for the operator (the CLI prints it, the dashboard shows it).</param>
internal sealed record DeploymentActionOutcome(DeploymentActionStatus Status, string Message)
{
    /// <summary>Whether the action was taken.</summary>
    public bool Succeeded => Status == DeploymentActionStatus.Done;
}
