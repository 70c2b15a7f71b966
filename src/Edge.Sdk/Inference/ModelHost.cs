using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Sdk.Inference;

/// <summary>
/// Holds the current <see cref="EdgeSession"/> and replaces it without dropping requests. A swap loads and warms the
/// new session first, then switches atomically; calls already running finish on the old session, which is disposed
/// when the last of them ends (on the thread pool, not on the caller's thread). No call ever sees a half-loaded model.
/// </summary>
/// <remarks>
/// Thread-safety: every member may be called from many threads. Swaps are serialized. The host owns its sessions;
/// whoever creates the host disposes it (the DI container, for <c>AddEdgeInference</c>).
/// </remarks>
public sealed class ModelHost : IDisposable
{
    private readonly SemaphoreSlim swapLock = new(1, 1);
    private readonly ILogger logger;
    private SessionHandle current;
    private bool disposed;
    private IInferenceObserver[] observers = [];

    /// <summary>Creates a host that takes ownership of <paramref name="initial"/>.</summary>
    public ModelHost(EdgeSession initial, ILogger<ModelHost>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        current = new SessionHandle(initial);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        LoggerFactory = null;
    }

    private ModelHost(EdgeSession initial, ILoggerFactory? loggerFactory)
        : this(initial, loggerFactory?.CreateLogger<ModelHost>())
    {
        LoggerFactory = loggerFactory;
    }

    /// <summary>
    /// The observers that see every successful <see cref="Run{TInput, TOutput}"/> call (not calls made on a leased
    /// session), in the order they were added; empty by default. The OTA agent adds one while it shadows a candidate,
    /// and others for field-data capture and drift statistics; their failures never fail a call.
    /// </summary>
    public IReadOnlyList<IInferenceObserver> Observers => Volatile.Read(ref observers);

    /// <summary>
    /// Adds <paramref name="observer"/> to <see cref="Observers"/> until the returned registration is disposed.
    /// Adding and removing never blocks a running call: each call sees the observers present when it finished.
    /// </summary>
    /// <param name="observer">The observer to add; it may be added only once at a time.</param>
    /// <returns>A registration whose disposal removes the observer; disposing it twice is harmless.</returns>
    /// <exception cref="InvalidOperationException">The observer is already registered.</exception>
    public IDisposable AddObserver(IInferenceObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        while (true)
        {
            var seen = Volatile.Read(ref observers);
            if (Array.IndexOf(seen, observer) >= 0)
            {
                throw new InvalidOperationException("This observer is already registered on the host; dispose its registration first.");
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref observers, [.. seen, observer], seen), seen))
            {
                return new ObserverRegistration(this, observer);
            }
        }
    }

    /// <summary>Number of completed swaps.</summary>
    public int SwapCount { get; private set; }

    private ILoggerFactory? LoggerFactory { get; }

    /// <summary>Loads a model into a new host. See <see cref="EdgeSession.Load(string, EdgeSessionOptions?, ILoggerFactory?)"/>.</summary>
    public static ModelHost Load(string modelPath, EdgeSessionOptions? options = null, ILoggerFactory? loggerFactory = null) =>
        new(EdgeSession.Load(modelPath, options, loggerFactory), loggerFactory);

    /// <summary>Leases the current session for one call; dispose the lease when the call ends.</summary>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public SessionLease Acquire() => new(AcquireHandle());

    /// <summary>Runs the current session (see <see cref="EdgeSession.Run{TInput, TOutput}"/>) under a lease. Allocation-free in steady state.</summary>
    public void Run<TInput, TOutput>(ReadOnlyMemory<TInput> input, Memory<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        var handle = AcquireHandle();
        try
        {
            handle.Session.Run(input, output);
            var seen = Volatile.Read(ref observers);
            for (var i = 0; i < seen.Length; i++)
            {
                Observe(seen[i], handle.Session, input.Span, output.Span);
            }
        }
        finally
        {
            handle.Release(disposeInBackground: true);
        }
    }

    /// <summary>
    /// Shows a call the caller ran itself on a leased session (<see cref="Acquire"/>) to <see cref="Observers"/>, as
    /// <see cref="Run{TInput, TOutput}"/> does for its own calls: a server that binds requests by hand (the agent's
    /// local HTTP routes) calls it after a successful run of a one-input, one-output model. Observer faults are
    /// logged and swallowed.
    /// </summary>
    /// <typeparam name="TInput">The input element type.</typeparam>
    /// <typeparam name="TOutput">The output element type.</typeparam>
    /// <param name="session">The leased session that ran the call.</param>
    /// <param name="input">The call's input.</param>
    /// <param name="output">The output the caller received.</param>
    public void NotifyObservers<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        ArgumentNullException.ThrowIfNull(session);
        var seen = Volatile.Read(ref observers);
        for (var i = 0; i < seen.Length; i++)
        {
            Observe(seen[i], session, input, output);
        }
    }

    /// <summary>Removes <paramref name="observer"/>; nothing happens when it is not registered.</summary>
    internal void RemoveObserver(IInferenceObserver observer)
    {
        while (true)
        {
            var seen = Volatile.Read(ref observers);
            if (Array.IndexOf(seen, observer) < 0
                || ReferenceEquals(Interlocked.CompareExchange(ref observers, [.. seen.Where(o => !ReferenceEquals(o, observer))], seen), seen))
            {
                return;
            }
        }
    }

    private void Observe<TInput, TOutput>(IInferenceObserver seen, EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        try
        {
            seen.OnRun(session, input, output);
        }
        catch (Exception e)
        {
            // The app's call succeeded and its output is written; an observer's fault is never the app's.
            logger.LogWarning(e, "An inference observer failed; the call is unaffected");
        }
    }

    /// <summary>Loads <paramref name="modelPath"/> on a thread-pool thread, warms it, then swaps it in.</summary>
    /// <exception cref="ModelLoadException">The new model failed to load; the current one stays in service.</exception>
    public Task SwapAsync(string modelPath, EdgeSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return SwapAsync(ct => Task.Run(() => EdgeSession.Load(modelPath, options, LoggerFactory), ct), cancellationToken);
    }

    /// <summary>
    /// Creates the next session with <paramref name="factory"/>, then swaps it in. If the factory fails, nothing
    /// changes. If the swap is cancelled after the factory returned, the new session is disposed.
    /// </summary>
    public async Task SwapAsync(Func<CancellationToken, Task<EdgeSession>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await swapLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var next = await factory(cancellationToken);
            if (cancellationToken.IsCancellationRequested || disposed)
            {
                next.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(disposed, this);
            }

            var previous = Interlocked.Exchange(ref current, new SessionHandle(next));
            SwapCount++;
            logger.LogInformation(
                "Swapped model {OldName} {OldVersion} for {NewName} {NewVersion} on {Provider}",
                previous.Session.ModelName,
                previous.Session.ModelVersion,
                next.ModelName,
                next.ModelVersion,
                next.Provider);

            // Drop the host's own reference; the old session is disposed once in-flight leases are released.
            previous.Release();
        }
        finally
        {
            swapLock.Release();
        }
    }

    /// <summary>Stops new calls and disposes the current session once calls in flight have finished.</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref disposed))
        {
            return;
        }

        swapLock.Wait();
        try
        {
            if (disposed)
            {
                return;
            }

            Volatile.Write(ref disposed, true);
            Volatile.Read(ref current).Release();
        }
        finally
        {
            swapLock.Release();
        }

        swapLock.Dispose();
    }

    private SessionHandle AcquireHandle()
    {
        while (true)
        {
            var handle = Volatile.Read(ref current);
            if (handle.TryAcquire())
            {
                return handle;
            }

            // The handle reached zero: either a swap retired it (the new one is already published) or the host is disposed.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed), this);
        }
    }
}
