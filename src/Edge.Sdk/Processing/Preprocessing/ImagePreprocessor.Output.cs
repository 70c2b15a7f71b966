using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Writing normalised rows into the tensor in each layout and element type.</summary>
public sealed partial class ImagePreprocessor
{
    // BT.601 luma weights, the same ones the YUV formats use.
    private const float LumaRed = 0.299f;
    private const float LumaGreen = 0.587f;
    private const float LumaBlue = 0.114f;

    private void EmitRow(FramePlan plan, int outputRow, int contentWidth, Span<byte> destination)
    {
        var spec = Spec;
        var channels = spec.Channels;
        var planeSize = spec.Width * spec.Height;
        var normalized = plan.Normalized.AsSpan(0, contentWidth);
        for (var c = 0; c < channels; c++)
        {
            var source = Component(plan, c, contentWidth);
            if (spec.Layout == TensorLayout.Nchw)
            {
                var start = (c * planeSize) + (outputRow * spec.Width) + plan.ContentX;
                switch (spec.DataType)
                {
                    case TensorDataType.Float32:
                        // The common case: normalise straight into the model's input buffer.
                        Affine(source, _multiplier[c], _addend[c], MemoryMarshal.Cast<byte, float>(destination).Slice(start, contentWidth));
                        break;
                    case TensorDataType.Float16:
                        Affine(source, _multiplier[c], _addend[c], normalized);
                        TensorPrimitives.ConvertToHalf(normalized, MemoryMarshal.Cast<byte, Half>(destination).Slice(start, contentWidth));
                        break;
                    default:
                        var bytes = destination.Slice(start, contentWidth);
                        for (var x = 0; x < contentWidth; x++)
                        {
                            bytes[x] = ToByte(source[x]);
                        }

                        break;
                }

                continue;
            }

            Affine(source, _multiplier[c], _addend[c], normalized);
            var first = ((outputRow * spec.Width) + plan.ContentX) * channels;
            WriteInterleaved(normalized, destination, first + c, channels);
        }
    }

    private ReadOnlySpan<float> Component(FramePlan plan, int channel, int contentWidth)
    {
        var component = _component[channel];
        var blended = plan.Blended;
        if (component >= 0)
        {
            return blended.AsSpan(component * contentWidth, contentWidth);
        }

        // Luma from the blended R, G, B rows; the green slot is reused because luma replaces all three.
        var red = blended.AsSpan(0, contentWidth);
        var green = blended.AsSpan(contentWidth, contentWidth);
        var blue = blended.AsSpan(2 * contentWidth, contentWidth);
        TensorPrimitives.Multiply(green, LumaGreen, green);
        TensorPrimitives.MultiplyAdd(red, LumaRed, green, green);
        TensorPrimitives.MultiplyAdd(blue, LumaBlue, green, green);
        return green;
    }

    private void WriteInterleaved(ReadOnlySpan<float> values, Span<byte> destination, int first, int step)
    {
        switch (Spec.DataType)
        {
            case TensorDataType.Float32:
                var floats = MemoryMarshal.Cast<byte, float>(destination);
                for (var x = 0; x < values.Length; x++)
                {
                    floats[first + (x * step)] = values[x];
                }

                break;
            case TensorDataType.Float16:
                var halves = MemoryMarshal.Cast<byte, Half>(destination);
                for (var x = 0; x < values.Length; x++)
                {
                    halves[first + (x * step)] = (Half)values[x];
                }

                break;
            default:
                for (var x = 0; x < values.Length; x++)
                {
                    destination[first + (x * step)] = ToByte(values[x]);
                }

                break;
        }
    }

    private void FillPadding(Span<byte> destination)
    {
        var spec = Spec;
        var channels = spec.Channels;
        var planeSize = spec.Width * spec.Height;
        for (var c = 0; c < channels; c++)
        {
            var value = (spec.PadValue * _multiplier[c]) + _addend[c];
            if (spec.Layout == TensorLayout.Nchw)
            {
                switch (spec.DataType)
                {
                    case TensorDataType.Float32:
                        MemoryMarshal.Cast<byte, float>(destination).Slice(c * planeSize, planeSize).Fill(value);
                        break;
                    case TensorDataType.Float16:
                        MemoryMarshal.Cast<byte, Half>(destination).Slice(c * planeSize, planeSize).Fill((Half)value);
                        break;
                    default:
                        destination.Slice(c * planeSize, planeSize).Fill(ToByte(value));
                        break;
                }

                continue;
            }

            Span<float> one = [value];
            for (var pixel = 0; pixel < planeSize; pixel++)
            {
                WriteInterleaved(one, destination, (pixel * channels) + c, channels);
            }
        }
    }

    /// <summary>destination = values * multiplier + addend, one vectorised pass.</summary>
    private static void Affine(ReadOnlySpan<float> values, float multiplier, float addend, Span<float> destination)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var m = new Vector<float>(multiplier);
            var a = new Vector<float>(addend);
            for (; x <= values.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                var v = new Vector<float>(values.Slice(x));
                Vector.FusedMultiplyAdd(v, m, a).CopyTo(destination.Slice(x));
            }
        }

        for (; x < values.Length; x++)
        {
            destination[x] = (values[x] * multiplier) + addend;
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
