using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Edge.Sdk's per-call cost: <see cref="EdgeSession.Run{TInput, TOutput}"/> against a bare ONNX Runtime
/// <see cref="InferenceSession"/> using its fastest managed path (pre-created OrtValues over the same arrays), on the
/// same model, thread count and input, interleaved in blocks within one child process per model.
/// </summary>
internal sealed class SdkOverheadBenchmark : IBenchmark
{
    private const int Threads = 1;

    private static readonly (string Key, string Path, long[] InputShape, long[] OutputShape, int BlockRuns)[] Models =
    [
        ("mnist", "models/mnist/mnist.onnx", [1, 1, 28, 28], [1, 10], 200),
        ("squeezenet", "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx", [1, 3, 224, 224], [1, 1000, 1, 1], 20),
    ];

    public string Name => "sdk-overhead";

    public string Description => "EdgeSession.Run vs bare ORT InferenceSession.Run (OrtValues), same model/threads/input, interleaved; median latency and overhead";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new JsonObject { ["intra_op_threads"] = Threads };
        foreach (var model in Models)
        {
            var rounds = context.Quick ? 5 : 30;
            results[model.Key] = await context.RunChildAsync(this, [model.Key, rounds.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        }

        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var model = Models.Single(m => m.Key == arguments[0]);
        var rounds = int.Parse(arguments[1], CultureInfo.InvariantCulture);
        var path = Path.Combine(Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!, model.Path);
        var input = new float[ElementCount(model.InputShape)];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 255) / 255f; // finite, deterministic values
        }

        var sdkOutput = new float[ElementCount(model.OutputShape)];
        var ortOutput = new float[sdkOutput.Length];

        using var sdk = EdgeSession.Load(path, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, WarmupRuns = 0, Cpu = { IntraOpThreads = Threads, InterOpThreads = 1 } });
        using var bareOptions = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var bare = new InferenceSession(path, bareOptions);
        using var runOptions = new RunOptions();
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, model.InputShape);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(ortOutput, model.OutputShape);
        string[] inputNames = [bare.InputNames[0]];
        string[] outputNames = [bare.OutputNames[0]];
        OrtValue[] inputValues = [inputValue];
        OrtValue[] outputValues = [outputValue];

        void RunSdk() => sdk.Run<float, float>(input, sdkOutput);
        void RunBare() => bare.Run(runOptions, inputNames, inputValues, outputNames, outputValues);

        for (var i = 0; i < model.BlockRuns * 3; i++)
        {
            RunSdk();
            RunBare();
        }

        var sdkSamples = new List<double>();
        var bareSamples = new List<double>();
        var roundDifferencesMicroseconds = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which side goes first so drift and cache effects do not favour one.
            double[] a, b;
            if (round % 2 == 0)
            {
                a = Measure.Repeat(RunSdk, warmup: 0, model.BlockRuns);
                b = Measure.Repeat(RunBare, warmup: 0, model.BlockRuns);
            }
            else
            {
                b = Measure.Repeat(RunBare, warmup: 0, model.BlockRuns);
                a = Measure.Repeat(RunSdk, warmup: 0, model.BlockRuns);
            }

            sdkSamples.AddRange(a);
            bareSamples.AddRange(b);
            roundDifferencesMicroseconds.Add((Median(a) - Median(b)) * 1000);
        }

        var maxDifference = sdkOutput.Zip(ortOutput, (x, y) => Math.Abs(x - y)).Max();
        var sdkMedian = Median([.. sdkSamples]);
        var bareMedian = Median([.. bareSamples]);
        return new JsonObject
        {
            ["model"] = model.Path,
            ["rounds"] = rounds,
            ["runs_per_block"] = model.BlockRuns,
            ["sdk"] = Measure.Summarize([.. sdkSamples]),
            ["bare_ort"] = Measure.Summarize([.. bareSamples]),
            ["sdk_p50_ms"] = sdkMedian,
            ["bare_ort_p50_ms"] = bareMedian,
            ["sdk_over_bare_ort"] = sdkMedian / bareMedian,
            ["overhead_us"] = (sdkMedian - bareMedian) * 1000,
            ["overhead_us_median_of_rounds"] = Median([.. roundDifferencesMicroseconds]),
            ["max_abs_output_difference"] = maxDifference,
            ["peak_rss_bytes"] = Measure.PeakResidentBytes(),
        };
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int ElementCount(long[] shape) => (int)shape.Aggregate(1L, (a, b) => a * b);
}
