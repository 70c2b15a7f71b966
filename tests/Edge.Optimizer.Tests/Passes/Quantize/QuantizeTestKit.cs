using System.Text;
using Edge.Onnx;
using Edge.Optimizer.Passes.Quantize;
using Edge.Optimizer.Pipeline;
using Edge.TestUtilities;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Tests.Passes.Quantize;

/// <summary>Runs the quantize pass on shared models and runs the results in ONNX Runtime.</summary>
internal static class QuantizeTestKit
{
    public const string SqueezeNet = "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx";
    public const string Mnist = "models/mnist/mnist.onnx";

    public const string SqueezeNetSpec = """{"width":224,"height":224,"resize":"shorterSideCrop","shorterSide":256,"interpolation":"bilinear","colorOrder":"bgr","mean":[104,117,123]}""";

    public static string Images(int from, int to) => $"images:{TestData.Directory("datasets/imagenet-sample-500")}@{from}:{to}";

    public static string MnistDigits(int from, int to) => $"mnist:{TestData.Directory("datasets/mnist")}@{from}:{to}";

    /// <summary>Options for tests: no latency timing (bench/ measures speed) and no layer analysis unless asked.</summary>
    public static QuantizeOptions Fast(QuantizeOptions options) => options with { LatencyRuns = 0 };

    public static Task<PassResult> RunAsync(string modelPath, QuantizeOptions options) =>
        new QuantizePass().RunAsync(OnnxModel.Load(modelPath), options, PassContext.Silent, CancellationToken.None);

    public static string Save(PassResult result, TemporaryFolder folder, string name = "quantized.onnx")
    {
        var path = Path.Combine(folder.Path, name);
        result.Model.Save(path);
        return path;
    }

    /// <summary>Runs a model on the given inputs (by position) and returns each output as floats.</summary>
    public static float[][] Run(string path, params (Array Data, long[] Shape)[] inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 2 };
        using var session = new InferenceSession(path, options);
        var values = inputs.Select(i => new Edge.Optimizer.Data.ModelInput("x", default, i.Shape, i.Data).ToOrtValue()).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, session.InputNames.Take(inputs.Length).ToList(), values, session.OutputNames);
            return [.. outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray())];
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Counts the op types ONNX Runtime actually runs after its optimizations (QDQ fusion).</summary>
    public static Dictionary<string, int> OptimizedOpTypes(string path, TemporaryFolder folder)
    {
        var optimized = Path.Combine(folder.Path, "ort-optimized.onnx");
        using (var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL })
        using (new InferenceSession(path, options))
        {
        }

        return OnnxModel.Load(optimized).Proto.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Writes a float32 .npy array (little-endian, C order) for npy: datasets.</summary>
    public static string WriteNpy(string path, float[] data, long[] shape)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}";
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)padded.Length));
        stream.Write(Encoding.Latin1.GetBytes(padded));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        return path;
    }

    /// <summary>Uniform random floats in [low, high), seeded.</summary>
    public static float[] RandomFloats(int count, int seed, float low = 0, float high = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + (random.NextSingle() * (high - low));
        }

        return values;
    }
}
