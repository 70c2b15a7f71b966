using System.Runtime.InteropServices;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Shadow;

/// <summary>A sampled call with typed input and output, as <see cref="ModelHost.Run{TInput, TOutput}"/> saw it.</summary>
internal sealed class ShadowSampleOf<TInput, TOutput>(TInput[] input, TOutput[] served) : ShadowSample
    where TInput : unmanaged
    where TOutput : unmanaged
{
    public override float[] ServedOutput() => ToFloats<TOutput>(served);

    public override float[] RunCandidate(EdgeSession candidate)
    {
        using var request = candidate.CreateRequest();
        request.SetInput<TInput>(candidate.Inputs[0].Name, input);
        request.RunUnmeasured();
        return ToFloats(request.GetOutput<TOutput>(candidate.Outputs[0].Name));
    }

    private static float[] ToFloats<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return MemoryMarshal.Cast<T, float>(values).ToArray();
        }

        var floats = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            floats[i] = values[i] switch
            {
                double d => (float)d,
                Half h => (float)h,
                var other => Convert.ToSingle(other, System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        return floats;
    }
}
