using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize;

/// <summary>
/// A scale and zero point: real = (q - zeroPoint) * scale. Built from a float range that always includes 0, so that
/// 0 (padding, ReLU output) is exactly representable.
/// </summary>
internal readonly record struct QuantParameters(float Scale, int ZeroPoint)
{
    public static QuantParameters FromRange(TensorRange range, QuantizedType type, bool symmetric)
    {
        var low = Math.Min(range.Min, 0f);
        var high = Math.Max(range.Max, 0f);
        var (qmin, qmax) = Limits(type, symmetric);
        if (symmetric)
        {
            var magnitude = Math.Max(-low, high);
            var scale = magnitude == 0 ? 1f : (float)(2.0 * magnitude / (qmax - qmin));
            return new QuantParameters(scale, type == QuantizedType.UInt8 ? 128 : 0);
        }

        if (high == low)
        {
            return new QuantParameters(1f, qmin);
        }

        var asymmetricScale = (float)(((double)high - low) / (qmax - qmin));
        var zeroPoint = (int)Math.Round(qmin - (low / asymmetricScale), MidpointRounding.ToEven);
        return new QuantParameters(asymmetricScale, Math.Clamp(zeroPoint, qmin, qmax));
    }

    /// <summary>The integer range used: symmetric int8 drops -128 so that +x and -x quantize alike.</summary>
    public static (int Min, int Max) Limits(QuantizedType type, bool symmetric) => type switch
    {
        QuantizedType.Int8 => symmetric ? (-127, 127) : (-128, 127),
        _ => (0, 255),
    };

    public static TensorProto.Types.DataType ElementType(QuantizedType type) =>
        type == QuantizedType.Int8 ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8;

    /// <summary>Quantizes one value the way QuantizeLinear does: round half to even, then saturate.</summary>
    public int Quantize(float value, int min, int max)
    {
        var q = Math.Round(value / Scale, MidpointRounding.ToEven) + ZeroPoint;
        return (int)Math.Clamp(q, min, max);
    }
}
