namespace Edge.Sdk.Tests.Inference;

/// <summary>
/// Which ONNX Runtime package this test build references: the CPU package by default, the CUDA/TensorRT package
/// (Microsoft.ML.OnnxRuntime.Gpu) when built with <c>-p:EdgeGpu=true</c>, which defines <c>EDGE_GPU</c>.
/// </summary>
internal static class OnnxRuntimePackage
{
#if EDGE_GPU
    public const string Name = "Microsoft.ML.OnnxRuntime.Gpu";
#else
    public const string Name = "Microsoft.ML.OnnxRuntime";
#endif

    // A property rather than a constant, so code that branches on it is not reported as unreachable in one build.
    public static bool IsGpu => Name.EndsWith(".Gpu", StringComparison.Ordinal);
}
