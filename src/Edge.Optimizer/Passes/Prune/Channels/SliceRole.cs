namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Why a constant is sliced along a channel axis.</summary>
internal enum SliceRole
{
    /// <summary>The output channels of a Conv, ConvTranspose, Gemm or MatMul (and its bias).</summary>
    Source,

    /// <summary>The input channels of the next Conv, ConvTranspose, Gemm or MatMul.</summary>
    Sink,

    /// <summary>A per-channel parameter: BatchNormalization statistics, a depthwise filter, a broadcast operand.</summary>
    Parameter,
}
