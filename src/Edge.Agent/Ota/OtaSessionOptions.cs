using Edge.Sdk.Inference;

namespace Edge.Agent.Ota;

/// <summary>Session options for served and candidate models, from <see cref="OtaOptions"/>: same provider and threads, so the gate measures what will serve.</summary>
internal static class OtaSessionOptions
{
    public static EdgeSessionOptions Create(OtaOptions options, string name, string version) => new()
    {
        Provider = options.Provider.ToLowerInvariant() switch
        {
            "cuda" => ExecutionProvider.Cuda,
            "tensorrt" => ExecutionProvider.TensorRT,
            "auto" => ExecutionProvider.Auto,
            _ => ExecutionProvider.Cpu,
        },
        Cpu = { IntraOpThreads = options.IntraOpThreads },
        ModelName = name,
        ModelVersion = version,
        WarmupRuns = 1,
    };
}
