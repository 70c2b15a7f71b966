using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Calibration;

/// <summary>What calibration measured: a range for every observed float tensor and the element type of every observed tensor.</summary>
internal sealed record CalibrationResult(
    IReadOnlyDictionary<string, TensorRange> Ranges,
    IReadOnlyDictionary<string, TensorElementType> Types,
    int Samples)
{
    /// <summary>
    /// Per-channel ranges (axis 1) of the rank-4 float tensors, the layout of image feature maps; empty when not
    /// collected. Quantization scales stay per tensor; these show how evenly one scale serves the channels.
    /// </summary>
    public IReadOnlyDictionary<string, ChannelRanges> ChannelRanges { get; init; } = new Dictionary<string, ChannelRanges>(StringComparer.Ordinal);
}
