using Edge.Sdk.Inference;

namespace Edge.Agent.Ota;

/// <summary>Session options for served and candidate models, from <see cref="OtaOptions"/>: same provider and threads, so the gate measures what will serve.</summary>
internal static class OtaSessionOptions
{
    /// <param name="options">The agent's OTA options.</param>
    /// <param name="name">Model name for metrics.</param>
    /// <param name="version">Model version for metrics.</param>
    /// <param name="engineCacheDirectory">
    /// The slot's TensorRT engine cache (<see cref="Slots.SlotStore.EngineCachePath"/>): the engine warmed before the
    /// switch is the one the gate and the served session load. Unused by the other providers.
    /// </param>
    public static EdgeSessionOptions Create(OtaOptions options, string name, string version, string engineCacheDirectory) => new()
    {
        Provider = options.Provider.ToLowerInvariant() switch
        {
            "cuda" => ExecutionProvider.Cuda,
            "tensorrt" => ExecutionProvider.TensorRT,
            "auto" => ExecutionProvider.Auto,
            _ => ExecutionProvider.Cpu,
        },
        Cpu = { IntraOpThreads = options.IntraOpThreads },
        TensorRt = { EngineCacheDirectory = engineCacheDirectory },
        ModelName = name,
        ModelVersion = version,
        WarmupRuns = 1,
    };
}
