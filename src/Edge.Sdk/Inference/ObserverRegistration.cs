namespace Edge.Sdk.Inference;

/// <summary>What <see cref="ModelHost.AddObserver"/> returns: disposing it removes the observer, once.</summary>
internal sealed class ObserverRegistration(ModelHost host, IInferenceObserver observer) : IDisposable
{
    private int disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            host.RemoveObserver(observer);
        }
    }
}
