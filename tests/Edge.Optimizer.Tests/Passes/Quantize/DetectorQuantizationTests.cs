using System.Globalization;
using Edge.Optimizer.Passes.Quantize;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static Edge.Optimizer.Tests.Passes.Quantize.QuantizeTestKit;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class DetectorQuantizationTests
{
    private const int CocoDog = 16;

    private const string YoloxSpec = """{ "width": 416, "height": 416, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }""";

    private readonly ITestOutputHelper _output;

    public DetectorQuantizationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>
    /// The SDK's dog check (docs/preprocessing.md): a dog (score >= 0.3) in at least 75% of the 59 dog photos (float32:
    /// 46 of 59). With MinMax ranges and every tensor quantized, YOLOX-Nano finds 0-1 of 59: the first SiLU output has
    /// channels whose ranges differ 600x, and one per-tensor 8-bit scale leaves the quiet ones a level or two. The
    /// channel guard keeps that feature map float (measured: 41 of 59), so the floor of 36 fails if the guard stops
    /// applying. The check itself (75%) is still missed, so the pass must also say that the error is severe.
    /// </summary>
    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_YoloxNanoStatic_ChannelGuardKeepsTheDetectorWorking()
    {
        using var folder = new TemporaryFolder();
        var specPath = folder.WriteText("spec.json", YoloxSpec);
        var options = Fast(new QuantizeOptions { Calibration = Images(0, 100), Preprocess = specPath, PerChannel = true });
        var result = await RunAsync(TestData.File("models/detectors/yolox_nano/yolox_nano.onnx"), options);
        var path = Save(result, folder);

        var (found, total) = await CountDogsAsync(path);
        var rate = found / (double)total;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"int8 YOLOX-Nano found a dog in {found} of {total} dog photos: {rate:P1} (float32 through the SDK: 46 of 59)"));
        var guarded = result.Report["quantization"]!["float_nodes"]!.AsArray()
            .Where(n => n!["reason"]!.GetValue<string>().Contains("stays float: one 8-bit scale", StringComparison.Ordinal))
            .Select(n => n!["node"]!.GetValue<string>())
            .ToList();
        Assert.Contains("Conv_41", guarded);
        Assert.InRange(found, 36, total);
        var warned = result.Warnings.Any(w => w.Contains("Quantization error is severe", StringComparison.Ordinal));
        Assert.True(rate >= 0.75 || warned, $"Dog recall {rate:P1} fell below the 75% floor after quantization and the pass did not warn.");
    }

    /// <summary>
    /// Percentile ranges with SiLU-aware narrowing (the conv outputs that only SiLU reads lose their saturated tail) and
    /// the channel guard: measured 44 of 59 dog photos, against 28 without the guard and 21 without the narrowing.
    /// </summary>
    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_YoloxNanoPercentileWithSiluNarrowing_FindsDogsInAtLeast40Of59()
    {
        using var folder = new TemporaryFolder();
        var specPath = folder.WriteText("spec.json", YoloxSpec);
        var options = Fast(new QuantizeOptions { Calibration = Images(0, 100), Preprocess = specPath, PerChannel = true, Method = Edge.Optimizer.Calibration.CalibrationMethod.Percentile, Percentile = 99.99 });
        var result = await RunAsync(TestData.File("models/detectors/yolox_nano/yolox_nano.onnx"), options);
        var path = Save(result, folder);

        var (found, total) = await CountDogsAsync(path);

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"int8 YOLOX-Nano (percentile 99.99) found a dog in {found} of {total} dog photos"));
        Assert.InRange(found, 40, total);
    }

    private static async Task<(int Found, int Total)> CountDogsAsync(string path)
    {
        var spec = PreprocessSpec.FromJson(YoloxSpec);
        var preprocessor = new ImagePreprocessor(spec);
        var decoder = new YoloxDecoder(spec.Width, spec.Height);
        var input = new float[preprocessor.OutputLength];
        var candidates = new List<Detection>();
        using var session = new InferenceSession(path, new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 2 });
        var dogs = File.ReadAllLines(TestData.File("datasets/imagenet-sample-500/labels.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => int.Parse(f[1], CultureInfo.InvariantCulture) is >= 151 and <= 268)
            .Select(f => Path.Combine(TestData.Directory("datasets/imagenet-sample-500"), f[0]))
            .ToList();
        Assert.Equal(59, dogs.Count);
        var found = 0;
        foreach (var dog in dogs)
        {
            using (var bitmap = await ImageDecoder.DecodeAsync(dog, CancellationToken.None))
            {
                preprocessor.Process(bitmap, input);
            }

            using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 416, 416]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [session.InputNames[0]], [value], session.OutputNames);
            candidates.Clear();
            decoder.Decode(outputs[0].GetTensorDataAsSpan<float>(), 0.3f, candidates);
            found += candidates.Any(d => d.ClassId == CocoDog) ? 1 : 0;
        }

        return (found, dogs.Count);
    }
}
