namespace Edge.Sdk.Inference;

/// <summary>Which ONNX Runtime execution provider runs the model.</summary>
public enum ExecutionProvider
{
    /// <summary>Try TensorRT, then CUDA, then CPU, logging why each faster one was skipped.</summary>
    Auto = 0,

    /// <summary>NVIDIA TensorRT (fastest on Jetson and NVIDIA GPUs; builds an engine on first load).</summary>
    TensorRT = 1,

    /// <summary>NVIDIA CUDA.</summary>
    Cuda = 2,

    /// <summary>The CPU provider that every ONNX Runtime build contains.</summary>
    Cpu = 3,
}
