using Edge.Packaging;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Engines;

/// <summary>
/// The TensorRT path: loading a session with an engine cache folder makes ONNX Runtime's TensorRT provider build the
/// engine and write it there (static shapes at load, dynamic ones at the first run, which the session's warm-up run
/// makes); the session is then disposed and the engine stays on disk for the gate and the served session.
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
    }
}
