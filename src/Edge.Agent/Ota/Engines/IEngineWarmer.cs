using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Engines;

/// <summary>
/// Builds a staged model's accelerator engine before the switch, so the health gate and the first inference after the
/// switch load a built engine instead of building one (TensorRT takes seconds to minutes per model). The agent asks
/// only when <see cref="Applies"/> says the provider builds engines; CPU and CUDA sessions have nothing to build.
/// </summary>
internal interface IEngineWarmer
{
    /// <summary>Whether sessions made with <paramref name="options"/> build an engine worth building ahead of the switch.</summary>
    bool Applies(EdgeSessionOptions options);

    /// <summary>
    /// Builds the engine for <paramref name="modelPath"/> into <see cref="TensorRtProviderOptions.EngineCacheDirectory"/>
    /// of <paramref name="options"/>, so a later session with the same options loads it. Synchronous and CPU/GPU bound:
    /// the caller runs it off its own thread.
    /// </summary>
    /// <exception cref="Edge.Sdk.EdgeException">The engine could not be built (provider missing, unsupported operator, out of memory).</exception>
    void Warm(string modelPath, EdgeSessionOptions options, CancellationToken cancellationToken);
}
