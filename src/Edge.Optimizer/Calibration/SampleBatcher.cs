using Edge.Optimizer.Data;
using Edge.Sdk.Inference;

namespace Edge.Optimizer.Calibration;

/// <summary>Stacks samples along axis 0 so models with a dynamic batch dimension calibrate several samples per run.</summary>
internal static class SampleBatcher
{
    /// <summary>Whether every input's first dimension is symbolic, so samples can be stacked.</summary>
    public static bool CanBatch(IReadOnlyList<TensorInfo> inputs) =>
        inputs.Count > 0 && inputs.All(i => i.Dimensions.Count > 0 && i.Dimensions[0] < 1);

    /// <summary>Concatenates the samples' tensors input by input along axis 0; every sample must have the same trailing shape.</summary>
    public static IReadOnlyList<ModelInput> Stack(IReadOnlyList<IReadOnlyList<ModelInput>> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 1)
        {
            return samples[0];
        }

        var result = new ModelInput[samples[0].Count];
        for (var input = 0; input < result.Length; input++)
        {
            var first = samples[0][input];
            var parts = samples.Select(s => s[input]).ToList();
            var mismatch = parts.FirstOrDefault(p => !p.Shape.AsSpan(1).SequenceEqual(first.Shape.AsSpan(1)));
            if (mismatch is not null)
            {
                throw new InvalidDataException(
                    $"Input '{first.Name}' cannot be batched: one sample has shape {string.Join('x', first.Shape)}, another {string.Join('x', mismatch.Shape)}. Use batch size 1 for samples of different sizes.");
            }

            var total = parts.Sum(p => p.Data.Length);
            var data = Array.CreateInstance(first.Data.GetType().GetElementType()!, total);
            var offset = 0;
            foreach (var part in parts)
            {
                Array.Copy(part.Data, 0, data, offset, part.Data.Length);
                offset += part.Data.Length;
            }

            result[input] = first with { Shape = [parts.Sum(p => p.Shape[0]), .. first.Shape[1..]], Data = data };
        }

        return result;
    }
}
