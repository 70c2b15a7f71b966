using Edge.TestUtilities;

namespace Edge.Sdk.Tests.Inference;

/// <summary>A fact that runs only with <c>EDGE_GPU_TESTS=1</c>; otherwise it is reported as skipped with the reason, never passed.</summary>
internal sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("EDGE_GPU_TESTS") != "1")
        {
            Skip = $"Needs an NVIDIA GPU and a CUDA/TensorRT build of ONNX Runtime; set EDGE_GPU_TESTS=1 to run (trait {TestCategories.Category}={TestCategories.Gpu}).";
        }
    }
}
