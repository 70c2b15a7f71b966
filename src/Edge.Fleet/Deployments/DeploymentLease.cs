namespace Edge.Fleet.Deployments;

/// <summary>
/// The right to drive one deployment, held in its row of the store: only the holder's engine publishes jobs and moves
/// waves, and each of its writes is fenced on still holding it. A holder renews the lease on every tick; when a holder
/// dies (<c>kill -9</c>), the lease runs out after <see cref="Ttl"/> and another <c>serve</c> instance takes it over.
/// </summary>
/// <param name="Owner">Who holds it: <c>serve:{fleet}/{instance}</c>, or <c>cli:{host}/{pid}</c> for a foreground deploy.</param>
/// <param name="Ttl">How long the lease lasts without renewal.</param>
internal sealed record DeploymentLease(string Owner, TimeSpan Ttl)
{
    /// <summary>The lease time of a foreground deploy and of serve's default: 15 s.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(15);

    /// <summary>The lease of this process run as a foreground command (<c>deploy</c>, <c>resume</c>, <c>rollback</c>).</summary>
    public static DeploymentLease ForCommand() =>
        new($"cli:{Environment.MachineName}/{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}", DefaultTtl);
}
