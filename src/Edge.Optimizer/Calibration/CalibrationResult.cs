using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Calibration;

/// <summary>What calibration measured: a range for every observed float tensor and the element type of every observed tensor.</summary>
internal sealed record CalibrationResult(
    IReadOnlyDictionary<string, TensorRange> Ranges,
    IReadOnlyDictionary<string, TensorElementType> Types,
    int Samples);
