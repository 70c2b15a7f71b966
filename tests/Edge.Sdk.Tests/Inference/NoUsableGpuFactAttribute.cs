using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

/// <summary>
/// A fact about falling back when no GPU can be used, which holds on both packages on a machine without an NVIDIA
/// GPU (CI). With the GPU package on a machine whose CUDA runtime reports a device, TensorRT or CUDA would rightly be
/// chosen, so it is reported as skipped with the reason; the <see cref="GpuFactAttribute"/> tests cover that machine.
/// </summary>
internal sealed class NoUsableGpuFactAttribute : FactAttribute
{
    public NoUsableGpuFactAttribute()
    {
        if (OnnxRuntimePackage.IsGpu && NvidiaRuntimeProbe.Instance.ComputeCapability(0) is { } capability)
        {
            Skip = $"This machine has a usable NVIDIA GPU (compute capability {capability.Major}.{capability.Minor}) and the " +
                   $"build references {OnnxRuntimePackage.Name}, so no fallback is expected.";
        }
    }
}
