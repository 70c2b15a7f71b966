namespace Edge.Sdk.Inference;

/// <summary>Seam over the NVIDIA libraries so the engine-cache path logic can be tested without a GPU.</summary>
internal interface IGpuProbe
{
    (int Major, int Minor)? ComputeCapability(int deviceId);

    string? TensorRtVersion();
}
