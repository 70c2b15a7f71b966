namespace Edge.Fleet.Deployments;

/// <summary>
/// A fenced write to a deployment found it changed underneath: its state is no longer the one the engine read (an
/// operator paused or aborted it), or the engine's lease ran out and another holder may have taken it. The engine
/// re-reads the deployment on its next tick, where a lost lease stops it.
/// </summary>
internal sealed class DeploymentChangedException : Exception
{
    public DeploymentChangedException(string message)
        : base(message)
    {
    }
}
