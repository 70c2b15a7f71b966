using Edge.Sdk.Inference;

namespace Edge.Agent;

/// <summary>
/// The model the agent serves from the active A/B slot (docs/ota.md). Device apps that embed the agent run
/// inference through <see cref="Host"/>; OTA updates swap the session inside it without failing a call. Owned by
/// the agent's service container, which disposes it.
/// </summary>
public sealed class ActiveModel : IDisposable
{
    private readonly Lock _lock = new();
    private ModelHost? _host;

    /// <summary>The host serving the active model; null until a slot is active (no initial package and no job yet).</summary>
    public ModelHost? Host
    {
        get
        {
            lock (_lock)
            {
                return _host;
            }
        }
    }

    /// <summary>Package name of the served model, or null.</summary>
    public string? Name { get; private set; }

    /// <summary>Package version of the served model, or null.</summary>
    public string? Version { get; private set; }

    /// <summary>The slot it was loaded from (<c>a</c> or <c>b</c>), or null.</summary>
    public string? Slot { get; private set; }

    /// <summary>Raised after a model was loaded or swapped in (an OTA switch, a rollback, the start-up load).</summary>
    public event Action? Changed;

    /// <summary>Disposes the host and its session.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _host?.Dispose();
            _host = null;
        }
    }

    /// <summary>Loads the model at start, or swaps it in (load and warm first, then an atomic switch) when already serving.</summary>
    internal async Task LoadOrSwapAsync(string modelPath, EdgeSessionOptions options, string slot, CancellationToken cancellationToken)
    {
        var host = Host;
        if (host is null)
        {
            var session = await Task.Run(() => EdgeSession.Load(modelPath, options), cancellationToken);
            lock (_lock)
            {
                _host = new ModelHost(session);
            }
        }
        else
        {
            await host.SwapAsync(modelPath, options, cancellationToken);
        }

        Name = options.ModelName;
        Version = options.ModelVersion;
        Slot = slot;
        Changed?.Invoke();
    }
}
