using Edge.Optimizer.Data;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Evaluation;

/// <summary>Binds <see cref="ModelInput"/>s to an SDK request and reads its outputs as floats.</summary>
internal static class RequestIo
{
    public static void Bind(InferenceRequest request, IReadOnlyList<ModelInput> inputs)
    {
        foreach (var input in inputs)
        {
            switch (input.Data)
            {
                case float[] a: request.SetInput<float>(input.Name, a, input.Shape); break;
                case Half[] a: request.SetInput<Half>(input.Name, a, input.Shape); break;
                case double[] a: request.SetInput<double>(input.Name, a, input.Shape); break;
                case long[] a: request.SetInput<long>(input.Name, a, input.Shape); break;
                case int[] a: request.SetInput<int>(input.Name, a, input.Shape); break;
                case short[] a: request.SetInput<short>(input.Name, a, input.Shape); break;
                case byte[] a: request.SetInput<byte>(input.Name, a, input.Shape); break;
                case sbyte[] a: request.SetInput<sbyte>(input.Name, a, input.Shape); break;
                case bool[] a: request.SetInput<bool>(input.Name, a, input.Shape); break;
                default: throw new InvalidDataException($"Input '{input.Name}' holds {input.Data.GetType().Name}, which cannot be bound.");
            }
        }
    }

    /// <summary>Copies output <paramref name="info"/> of the last run as floats; null for non-numeric outputs.</summary>
    public static float[]? ReadFloats(InferenceRequest request, TensorInfo info)
    {
        if (!info.IsTensor)
        {
            return null;
        }

        return info.ElementType switch
        {
            TensorElementType.Float => request.GetOutput<float>(info.Name).ToArray(),
            TensorElementType.Float16 => Widen(request.GetOutput<Half>(info.Name)),
            TensorElementType.Double => [.. request.GetOutput<double>(info.Name).ToArray().Select(v => (float)v)],
            TensorElementType.Int64 => [.. request.GetOutput<long>(info.Name).ToArray().Select(v => (float)v)],
            TensorElementType.Int32 => [.. request.GetOutput<int>(info.Name).ToArray().Select(v => (float)v)],
            TensorElementType.UInt8 => [.. request.GetOutput<byte>(info.Name).ToArray().Select(v => (float)v)],
            TensorElementType.Int8 => [.. request.GetOutput<sbyte>(info.Name).ToArray().Select(v => (float)v)],
            _ => null,
        };
    }

    private static float[] Widen(ReadOnlySpan<Half> values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }
}
