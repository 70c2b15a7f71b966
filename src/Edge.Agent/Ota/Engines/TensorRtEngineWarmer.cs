using Edge.Sdk.Inference;
using Edge.Sdk.Packaging;

namespace Edge.Agent.Ota.Engines;

/// <summary>
/// The TensorRT path: loading a session with an engine cache folder makes ONNX Runtime's TensorRT provider build the
/// engine and write it there (static shapes at load, dynamic ones at the first run, which the session's warm-up run
/// makes); the session is then disposed and the engine stays on disk for the gate and the served session. Under
/// <c>auto</c>, a model that falls back to CUDA or the CPU counts as a failed build: the device would otherwise leave
/// TensorRT without anyone deciding it.
/// </summary>
internal sealed class TensorRtEngineWarmer : IEngineWarmer
{
    private readonly Lazy<PackageDeviceDescription> _device;

    public TensorRtEngineWarmer(Lazy<PackageDeviceDescription> device)
    {
        _device = device;
    }

    public bool Applies(EdgeSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            ExecutionProvider.TensorRT => true,
            // Auto tries TensorRT first; only a device whose ONNX Runtime has it will build an engine.
            ExecutionProvider.Auto => _device.Value.ExecutionProviders.Contains("tensorrt", StringComparer.Ordinal),
            _ => false,
        };
    }

    public void Warm(string modelPath, EdgeSessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TensorRt.EngineCacheDirectory is null)
        {
            throw new ArgumentException("Warming an engine needs TensorRt.EngineCacheDirectory, but it was null: the built engine would be thrown away.", nameof(options));
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var session = EdgeSession.Load(modelPath, options);
        if (session.Provider != ExecutionProvider.TensorRT)
        {
            // Auto fell back (TensorRT could not take this model): serving it would silently leave TensorRT.
            throw new ExecutionProviderUnavailableException(
                ExecutionProvider.TensorRT,
                $"TensorRT did not take the model: it loaded on {session.Provider} instead (the SDK's log says why TensorRT was skipped).");
        }
    }
}
