namespace Edge.Fleet.Deployments;

/// <summary>
/// The engine could not take or renew its deployment's lease: another holder drives it (a <c>serve</c> instance, or
/// a command elsewhere), or this one stalled past the lease time and was taken over. The engine stops without writing
/// anything more; the CLI reports it as one line with exit code 2.
/// </summary>
internal sealed class DeploymentLeaseLostException : FleetException
{
    public DeploymentLeaseLostException(string message)
        : base(message)
    {
    }
}
