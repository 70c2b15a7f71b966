namespace Edge.Sdk.Inference;

/// <summary>
/// Keeps one session alive for the duration of a call even if <see cref="ModelHost.SwapAsync(string, EdgeSessionOptions?, CancellationToken)"/>
/// replaces it meanwhile. Dispose it exactly once (use <c>using</c>); do not keep it longer than the call.
/// </summary>
public readonly struct SessionLease : IDisposable
{
    private readonly SessionHandle? handle;

    internal SessionLease(SessionHandle handle)
    {
        this.handle = handle;
    }

    /// <summary>The leased session; valid until the lease is disposed.</summary>
    public EdgeSession Session => handle?.Session ?? throw new InvalidOperationException("This lease is empty; get one from ModelHost.Acquire.");

    /// <summary>
    /// Releases the lease. If the session was swapped out and this was its last user, the session is disposed on the
    /// thread pool, so the caller does not pay for freeing the old model.
    /// </summary>
    public void Dispose() => handle?.Release(disposeInBackground: true);
}
