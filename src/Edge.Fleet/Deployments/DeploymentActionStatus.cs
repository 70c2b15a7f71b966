namespace Edge.Fleet.Deployments;

/// <summary>How an operator's action on a deployment (<see cref="DeploymentControl"/>) ended.</summary>
internal enum DeploymentActionStatus
{
    /// <summary>The deployment was changed and an event recorded.</summary>
    Done,

    /// <summary>No deployment has that id.</summary>
    NotFound,

    /// <summary>The deployment's state does not allow the action, or it changed while the action was being taken.</summary>
    Conflict,

    /// <summary>The request itself is wrong (an abort without a reason, a rollback without a rollback package).</summary>
    BadRequest,
}
