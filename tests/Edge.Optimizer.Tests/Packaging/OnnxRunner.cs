using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Tests.Packaging;

/// <summary>Runs a model with bare ONNX Runtime on deterministic float inputs and returns every output as floats.</summary>
internal static class OnnxRunner
{
    public static Dictionary<string, float[]> RunWithSeededInputs(string modelPath, int seed)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var random = new Random(seed);
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, metadata) in session.InputMetadata)
        {
            var shape = metadata.Dimensions.Select(d => d < 0 ? 1 : d).ToArray();
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (float)random.NextDouble();
            }

            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, shape)));
        }

        return Run(session, inputs);
    }

    public static Dictionary<string, float[]> Run(string modelPath, IReadOnlyList<(float[] Data, int[] Shape)> inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var values = session.InputNames.Select((name, i) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(inputs[i].Data, inputs[i].Shape))).ToList();
        return Run(session, values);
    }

    private static Dictionary<string, float[]> Run(InferenceSession session, List<NamedOnnxValue> inputs)
    {
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
    }
}
