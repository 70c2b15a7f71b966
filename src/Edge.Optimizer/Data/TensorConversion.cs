using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Data;

/// <summary>Converts dataset arrays to the element type a model input declares.</summary>
internal static class TensorConversion
{
    public static Array Convert(Array source, TensorElementType target, string what)
    {
        var targetType = ClrType(target) ?? throw new InvalidDataException($"{what}: the model input's element type {target} is not supported for datasets.");
        if (source.GetType().GetElementType() == targetType)
        {
            return source;
        }

        var result = Array.CreateInstance(targetType, source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var value = source.GetValue(i)!;
            result.SetValue(target switch
            {
                TensorElementType.Float16 => (Half)ToDouble(value),
                TensorElementType.Float => (float)ToDouble(value),
                TensorElementType.Double => ToDouble(value),
                TensorElementType.Bool => ToDouble(value) != 0,
                _ => System.Convert.ChangeType(value is Half h ? (double)h : value, targetType, CultureInfo.InvariantCulture),
            }, i);
        }

        return result;
    }

    /// <summary>Reads any numeric array as floats (for comparisons and accuracy).</summary>
    public static float[] ToFloats(Array source)
    {
        if (source is float[] floats)
        {
            return floats;
        }

        var result = new float[source.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)ToDouble(source.GetValue(i)!);
        }

        return result;
    }

    public static Type? ClrType(TensorElementType type) => type switch
    {
        TensorElementType.Float => typeof(float),
        TensorElementType.Float16 => typeof(Half),
        TensorElementType.Double => typeof(double),
        TensorElementType.Int64 => typeof(long),
        TensorElementType.Int32 => typeof(int),
        TensorElementType.Int16 => typeof(short),
        TensorElementType.UInt8 => typeof(byte),
        TensorElementType.Int8 => typeof(sbyte),
        TensorElementType.Bool => typeof(bool),
        _ => null,
    };

    private static double ToDouble(object value) => value switch
    {
        Half h => (double)h,
        bool b => b ? 1 : 0,
        _ => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };
}
