using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize.Weights;

/// <summary>Quantizes constant tensors, per tensor or per channel along one axis.</summary>
internal static class WeightQuantizer
{
    /// <summary>
    /// Quantizes <paramref name="values"/> (row-major with <paramref name="dims"/>). With an <paramref name="axis"/>,
    /// each slice along it gets its own scale from its own range; otherwise one scale covers the tensor.
    /// </summary>
    public static QuantizedTensor Quantize(ReadOnlySpan<float> values, IReadOnlyList<long> dims, int? axis, QuantizedType type, bool symmetric)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (axis is null)
        {
            var range = RangeOf(values);
            return QuantizeWith(values, QuantParameters.FromRange(range, type, symmetric), type, symmetric);
        }

        var channels = (int)dims[axis.Value];
        var inner = 1;
        for (var d = axis.Value + 1; d < dims.Count; d++)
        {
            inner *= (int)dims[d];
        }

        var mins = new float[channels];
        var maxs = new float[channels];
        for (var i = 0; i < values.Length; i++)
        {
            var c = i / inner % channels;
            mins[c] = Math.Min(mins[c], values[i]);
            maxs[c] = Math.Max(maxs[c], values[i]);
        }

        var parameters = new QuantParameters[channels];
        for (var c = 0; c < channels; c++)
        {
            parameters[c] = QuantParameters.FromRange(new TensorRange(mins[c], maxs[c]), type, symmetric);
        }

        var (qmin, qmax) = QuantParameters.Limits(type, symmetric);
        var data = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            data[i] = (byte)parameters[i / inner % channels].Quantize(values[i], qmin, qmax);
        }

        return new QuantizedTensor(data, parameters, axis);
    }

    /// <summary>Quantizes with given parameters (a constant that must share an activation's scale).</summary>
    public static QuantizedTensor QuantizeWith(ReadOnlySpan<float> values, QuantParameters parameters, QuantizedType type, bool symmetric)
    {
        var (qmin, qmax) = QuantParameters.Limits(type, symmetric);
        var data = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            data[i] = (byte)parameters.Quantize(values[i], qmin, qmax);
        }

        return new QuantizedTensor(data, [parameters], null);
    }

    /// <summary>
    /// Quantizes a bias to int32 with scale input_scale x weight_scale (per channel), the scale integer kernels
    /// accumulate in. Returns how many values saturated, which only happens with extreme scales.
    /// </summary>
    public static (int[] Values, float[] Scales, int Saturated) QuantizeBias(ReadOnlySpan<float> bias, float inputScale, IReadOnlyList<QuantParameters> weightParameters)
    {
        ArgumentNullException.ThrowIfNull(weightParameters);
        var values = new int[bias.Length];
        var scales = new float[weightParameters.Count];
        for (var c = 0; c < scales.Length; c++)
        {
            scales[c] = inputScale * weightParameters[c].Scale;
        }

        var saturated = 0;
        for (var i = 0; i < bias.Length; i++)
        {
            var scale = scales[scales.Length == 1 ? 0 : i];
            var q = scale == 0 ? 0 : Math.Round(bias[i] / (double)scale, MidpointRounding.ToEven);
            if (q is > int.MaxValue or < int.MinValue)
            {
                saturated++;
            }

            values[i] = (int)Math.Clamp(q, int.MinValue, int.MaxValue);
        }

        return (values, scales, saturated);
    }

    public static TensorRange RangeOf(ReadOnlySpan<float> values)
    {
        float min = 0, max = 0;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return new TensorRange(min, max);
    }
}
