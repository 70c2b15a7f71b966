namespace Edge.Optimizer.Passes.Quantize;

/// <summary>What the quantize pass produces.</summary>
internal enum QuantizeMode
{
    /// <summary>int8 QDQ with activation ranges from calibration data; fused into integer kernels by ONNX Runtime.</summary>
    Static,

    /// <summary>int8 weights; activations are quantized at run time (MatMul/Gemm, LSTM/GRU). Needs no data.</summary>
    Dynamic,

    /// <summary>fp16 weights and compute, for GPU targets.</summary>
    Fp16,
}
