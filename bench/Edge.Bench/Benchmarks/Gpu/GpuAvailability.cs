using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Bench.Benchmarks.Gpu;

/// <summary>
/// Whether this process can measure on an NVIDIA GPU: the ONNX Runtime build must list the CUDA provider (the GPU
/// package, <c>-p:EdgeGpu=true</c>) and libcudart must report a device 0. TensorRT additionally needs libnvinfer.
/// Asked of the real libraries, so a machine without a GPU says so instead of producing figures.
/// </summary>
internal sealed record GpuAvailability(bool CudaUsable, bool TensorRtUsable, string Description)
{
    public static GpuAvailability Detect()
    {
        var providers = OrtEnv.Instance().GetAvailableProviders();
        if (!providers.Contains(ProviderHelp.CudaName))
        {
            return new(false, false, $"this ONNX Runtime build has no CUDA provider (it offers {string.Join(", ", providers)}); bench/run.sh gpu builds with -p:EdgeGpu=true");
        }

        var capability = NvidiaRuntimeProbe.Instance.ComputeCapability(0);
        if (capability is null)
        {
            return new(false, false, "no NVIDIA GPU found: libcudart could not be loaded or reports no device 0");
        }

        var tensorRt = NvidiaRuntimeProbe.Instance.TensorRtVersion();
        var hasTensorRt = tensorRt is not null && providers.Contains(ProviderHelp.TensorRtName);
        var description = $"NVIDIA GPU with compute capability {capability.Value.Major}.{capability.Value.Minor}, " +
                          (hasTensorRt ? $"TensorRT {tensorRt}" : "no TensorRT (libnvinfer not found), so TensorRT cases are left out");
        return new(true, hasTensorRt, description);
    }
}
