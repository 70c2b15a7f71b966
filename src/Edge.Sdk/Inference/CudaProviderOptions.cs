namespace Edge.Sdk.Inference;

/// <summary>Settings for the CUDA execution provider (also used by TensorRT for the nodes it does not take).</summary>
public sealed class CudaProviderOptions
{
    /// <summary>The CUDA device ordinal. Default 0; must be zero or more.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Upper bound in bytes for the CUDA memory arena, or <see langword="null"/> (the default) for no limit.
    /// Must be positive when set. On Jetson the GPU shares RAM with the CPU, so a limit protects the rest of the app.
    /// </summary>
    public long? MemoryLimitBytes { get; set; }

    internal void Validate(List<string> errors)
    {
        if (DeviceId < 0)
        {
            errors.Add($"Cuda.DeviceId must be zero or more, but was {DeviceId}.");
        }

        if (MemoryLimitBytes is <= 0)
        {
            errors.Add($"Cuda.MemoryLimitBytes must be positive when set, but was {MemoryLimitBytes}.");
        }
    }
}
