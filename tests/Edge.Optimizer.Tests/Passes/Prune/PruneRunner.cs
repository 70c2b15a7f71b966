using Edge.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Tests.Passes.Prune;

/// <summary>Runs in-memory models in ONNX Runtime on the same seeded inputs and compares their outputs.</summary>
internal static class PruneRunner
{
    /// <summary>Every output of <paramref name="model"/> on inputs drawn from <paramref name="seed"/> (uniform in [-1, 1], or [0, 255] when asked).</summary>
    public static Dictionary<string, (float[] Values, int[] Shape)> Run(OnnxModel model, int seed, float scale = 1f)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = 1 };
        using var session = CreateSession(model, options);
        var random = new Random(seed);
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, metadata) in session.InputMetadata)
        {
            var shape = metadata.Dimensions.Select(d => d < 0 ? 1 : d).ToArray();
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = ((float)random.NextDouble() * 2f - 1f) * scale;
            }

            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, shape)));
        }

        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => (r.AsTensor<float>().ToArray(), r.AsTensor<float>().Dimensions.ToArray()));
    }

    /// <summary>The largest absolute difference between same-named outputs; fails when names or shapes differ.</summary>
    public static float MaxDifference(Dictionary<string, (float[] Values, int[] Shape)> expected, Dictionary<string, (float[] Values, int[] Shape)> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        var max = 0f;
        foreach (var (name, (values, shape)) in expected)
        {
            Assert.Equal(shape, actual[name].Shape);
            for (var i = 0; i < values.Length; i++)
            {
                max = Math.Max(max, Math.Abs(values[i] - actual[name].Values[i]));
            }
        }

        return max;
    }

    private static InferenceSession CreateSession(OnnxModel model, SessionOptions options)
    {
        // Saving to a stream writes every tensor inline, wherever the model's data lives.
        using var stream = new MemoryStream();
        model.SaveAsync(stream).GetAwaiter().GetResult();
        return new InferenceSession(stream.ToArray(), options);
    }
}
