using System.Globalization;

namespace Edge.Sdk.Inference;

/// <summary>Shape helpers and the validation that runs before ONNX Runtime sees an input.</summary>
internal static class ShapeMath
{
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            count = checked(count * dimension);
        }

        return count;
    }

    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join("x", parts) + "]";
    }

    /// <summary>Checks element type, rank, every fixed dimension, that dynamic ones are positive, and the element count.</summary>
    public static void ValidateTensor(TensorInfo info, long[] declared, Type elementType, int elementCount, ReadOnlySpan<long> shape, string role)
    {
        if (!info.IsTensor)
        {
            throw new InputMismatchException(info.Name, $"a {info} {role} (not supported by this API)", "a tensor");
        }

        if (!info.Accepts(elementType))
        {
            throw new InputMismatchException(
                info.Name,
                $"element type {TensorInfo.ElementTypeName(info.ElementType)} ({TensorInfo.AcceptedClrTypes(info)}) for {info}",
                $"{elementType.Name}");
        }

        if (shape.Length != declared.Length)
        {
            throw new InputMismatchException(info.Name, $"rank {declared.Length} ({info})", $"rank {shape.Length} {Format(shape)}");
        }

        for (var i = 0; i < declared.Length; i++)
        {
            if (declared[i] >= 0 && shape[i] != declared[i])
            {
                throw new InputMismatchException(info.Name, $"dimension {i} = {declared[i]} ({info})", $"{shape[i]} in shape {Format(shape)}");
            }

            if (declared[i] < 0 && shape[i] <= 0)
            {
                throw new InputMismatchException(
                    info.Name,
                    $"a positive size for dynamic dimension {i} ({info.SymbolicDimensions[i] ?? "?"}) of {info}",
                    $"{shape[i]} in shape {Format(shape)}");
            }
        }

        var needed = ElementCount(shape);
        if (needed != elementCount)
        {
            throw new InputMismatchException(info.Name, $"{needed} elements for shape {Format(shape)} ({info})", $"{elementCount} elements");
        }
    }
}
