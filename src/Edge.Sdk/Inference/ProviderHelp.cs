namespace Edge.Sdk.Inference;

/// <summary>Messages that say which provider is missing and how to get it.</summary>
internal static class ProviderHelp
{
    public const string TensorRtName = "TensorrtExecutionProvider";
    public const string CudaName = "CUDAExecutionProvider";

    public static string OrtName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.TensorRT => TensorRtName,
        ExecutionProvider.Cuda => CudaName,
        _ => "CPUExecutionProvider",
    };

    public static string NotInBuild(ExecutionProvider provider, IReadOnlyCollection<string> available)
    {
        var offered = string.Join(", ", available);
        return provider == ExecutionProvider.TensorRT
            ? $"TensorRT execution provider is not in this ONNX Runtime build (it offers {offered}; the CPU package " +
              "Microsoft.ML.OnnxRuntime has no GPU providers). On Jetson use an ONNX Runtime build with TensorRT " +
              "(JetPack wheel/.so or build from source with --use_tensorrt --use_cuda); on x64 reference " +
              "Microsoft.ML.OnnxRuntime.Gpu and install TensorRT so libnvinfer is on the library path."
            : $"CUDA execution provider is not in this ONNX Runtime build (it offers {offered}; the CPU package " +
              "Microsoft.ML.OnnxRuntime has no GPU providers). On Jetson use a CUDA-enabled ONNX Runtime build " +
              "(JetPack wheel/.so or build from source with --use_cuda); on x64 reference Microsoft.ML.OnnxRuntime.Gpu.";
    }

    public static string FailedToStart(ExecutionProvider provider, Exception error) =>
        $"{provider} execution provider could not be set up: {error.GetType().Name}: {error.Message} Check that the " +
        "NVIDIA driver, CUDA runtime and cuDNN" + (provider == ExecutionProvider.TensorRT ? ", and TensorRT (libnvinfer)," : string.Empty) +
        " match this ONNX Runtime build and are on the library path; with the CPU package Microsoft.ML.OnnxRuntime " +
        "reference a GPU build instead (Microsoft.ML.OnnxRuntime.Gpu on x64, the JetPack build on Jetson).";
}
