using Edge.Optimizer.Data;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Evaluation;

/// <summary>
/// Deterministic inputs for latency measurement: floats uniform in [0, 1), integers and booleans zero (valid for
/// index inputs such as token ids), symbolic dimensions set to 1.
/// </summary>
internal static class SyntheticInputs
{
    public static IReadOnlyList<ModelInput> Create(IReadOnlyList<TensorInfo> inputs, int seed = 1234)
    {
        var random = new Random(seed);
        return [.. inputs.Select(info =>
        {
            var shape = info.Dimensions.Select(d => d < 1 ? 1L : d).ToArray();
            var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
            var floats = new float[count];
            if (info.ElementType is TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Double)
            {
                for (var i = 0; i < count; i++)
                {
                    floats[i] = random.NextSingle();
                }
            }

            return new ModelInput(info.Name, info.ElementType, shape, TensorConversion.Convert(floats, info.ElementType, $"input '{info.Name}'"));
        })];
    }
}
