using System.Runtime.InteropServices;

namespace Edge.Sdk.Inference;

/// <summary>
/// Asks the installed NVIDIA libraries, not a lookup table, for the GPU's compute capability (libcudart) and the
/// TensorRT version (libnvinfer). Returns null when a library is absent, which is the normal case on CPU machines.
/// </summary>
internal sealed class NvidiaRuntimeProbe : IGpuProbe
{
    private const int ComputeCapabilityMajorAttribute = 75; // cudaDevAttrComputeCapabilityMajor
    private const int ComputeCapabilityMinorAttribute = 76; // cudaDevAttrComputeCapabilityMinor

    private static readonly string[] CudaRuntimeNames = ["libcudart.so", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "cudart64_12.dll"];
    private static readonly string[] TensorRtNames = ["libnvinfer.so", "libnvinfer.so.10", "libnvinfer.so.8", "nvinfer_10.dll", "nvinfer.dll"];

    public static NvidiaRuntimeProbe Instance { get; } = new();

    public unsafe (int Major, int Minor)? ComputeCapability(int deviceId)
    {
        if (!TryLoadAny(CudaRuntimeNames, out var library))
        {
            return null;
        }

        if (!NativeLibrary.TryGetExport(library, "cudaDeviceGetAttribute", out var export))
        {
            return null;
        }

        var getAttribute = (delegate* unmanaged<int*, int, int, int>)export;
        int major;
        int minor;
        if (getAttribute(&major, ComputeCapabilityMajorAttribute, deviceId) != 0 ||
            getAttribute(&minor, ComputeCapabilityMinorAttribute, deviceId) != 0)
        {
            return null;
        }

        return (major, minor);
    }

    public unsafe string? TensorRtVersion()
    {
        if (!TryLoadAny(TensorRtNames, out var library) || !NativeLibrary.TryGetExport(library, "getInferLibVersion", out var export))
        {
            return null;
        }

        var version = ((delegate* unmanaged<int>)export)();
        return version > 0 ? TensorRtEngineCacheKey.DecodeTensorRtVersion(version) : null;
    }

    private static bool TryLoadAny(string[] names, out IntPtr library)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out library))
            {
                return true;
            }
        }

        library = IntPtr.Zero;
        return false;
    }
}
