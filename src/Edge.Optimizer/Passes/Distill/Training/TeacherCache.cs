using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// The teacher's outputs for every training sample, computed once with ONNX Runtime when the set is small enough
/// (at most 64 Mi floats) and nothing is augmented, so epochs after the first cost no teacher runs.
/// </summary>
internal sealed class TeacherCache
{
    private const long MaxFloats = 64L * 1024 * 1024;
    private readonly List<(float[] Data, long[] SampleShape)> outputs;

    private TeacherCache(List<(float[] Data, long[] SampleShape)> outputs) => this.outputs = outputs;

    public static TeacherCache? TryBuild(TeacherRunner teacher, TrainingSet data, int batchSize)
    {
        var probe = teacher.Run(data.Inputs[0], data.SampleShape, 1);
        if (probe.Sum(p => (long)p.Data.Length) * data.Count > MaxFloats)
        {
            return null;
        }

        var collected = probe.Select(p => (Data: new float[p.Data.Length * data.Count], SampleShape: p.Shape[1..])).ToList();
        var size = data.Inputs[0].Length;
        for (var first = 0; first < data.Count; first += batchSize)
        {
            var count = Math.Min(batchSize, data.Count - first);
            var batch = new float[size * count];
            for (var i = 0; i < count; i++)
            {
                data.Inputs[first + i].CopyTo(batch, i * size);
            }

            var results = teacher.Run(batch, data.SampleShape, count);
            for (var o = 0; o < results.Length; o++)
            {
                results[o].Data.CopyTo(collected[o].Data, (long)first * probe[o].Data.Length);
            }
        }

        return new TeacherCache(collected);
    }

    /// <summary>The cached outputs of <paramref name="indices"/>, as tensors in the current dispose scope.</summary>
    public Tensor[] Gather(int[] indices)
    {
        var result = new Tensor[outputs.Count];
        for (var o = 0; o < outputs.Count; o++)
        {
            var (data, shape) = outputs[o];
            var size = (int)shape.Aggregate(1L, (p, d) => p * d);
            var batch = new float[size * indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                Array.Copy(data, (long)indices[i] * size, batch, (long)i * size, size);
            }

            result[o] = tensor(batch, [indices.Length, .. shape]);
        }

        return result;
    }
}
