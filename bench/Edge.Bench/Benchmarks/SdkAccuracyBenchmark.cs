using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// The SDK's accuracy on the shared data, run the way a device runs models (EdgeSession on the CPU, the
/// preprocessing spec): MNIST on all 10,000 test digits, SqueezeNet 1.0 on the 500-photo ImageNet sample, and
/// YOLOX-Nano's dog recall on the sample's 59 dog photos. Each model runs in its own child process.
/// </summary>
internal sealed class SdkAccuracyBenchmark : IBenchmark
{
    private const int CocoDog = 16;

    private const string SqueezeNetSpec =
        """{ "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "interpolation": "bilinear", "colorOrder": "bgr", "mean": [104, 117, 123] }""";

    private const string YoloxSpec =
        """{ "width": 416, "height": 416, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }""";

    public string Name => "sdk-accuracy";

    public string Description => "Accuracy through the SDK: MNIST (10,000 digits), SqueezeNet 1.0 (500 ImageNet photos), YOLOX-Nano dog recall (59 photos)";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new JsonObject();
        foreach (var name in new[] { "mnist", "squeezenet", "yolox_dogs" })
        {
            results[name] = await context.RunChildAsync(this, [name], cancellationToken);
        }

        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var root = Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!;
        EdgeSessionOptions Options() => new() { Provider = ExecutionProvider.Cpu, Cpu = new CpuProviderOptions { IntraOpThreads = 2 } };
        switch (arguments[0])
        {
            case "mnist":
                return Classify(Path.Combine(root, "models/mnist/mnist.onnx"), $"mnist:{Path.Combine(root, "datasets/mnist")}", null, Options, 0.985);
            case "squeezenet":
                return Classify(
                    Path.Combine(root, "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"),
                    $"images:{Path.Combine(root, "datasets/imagenet-sample-500")}",
                    PreprocessSpec.FromJson(SqueezeNetSpec),
                    Options,
                    0.55);
            default:
                return DogRecall(root, Options());
        }
    }

    private static JsonObject Classify(string model, string data, PreprocessSpec? spec, Func<EdgeSessionOptions> options, double target)
    {
        var dataset = DatasetFactory.Open(data);
        var result = ModelEvaluator.Evaluate(model, dataset, spec, null, options, null, CancellationToken.None);
        return new JsonObject
        {
            ["model"] = Path.GetFileName(model),
            ["samples"] = result.Samples,
            ["top1"] = result.Top1,
            ["top5"] = result.Top5,
            ["target_top1"] = target,
            ["meets_target"] = result.Top1 >= target,
        };
    }

    private static JsonObject DogRecall(string root, EdgeSessionOptions options)
    {
        var spec = PreprocessSpec.FromJson(YoloxSpec);
        using var session = EdgeSession.Load(Path.Combine(root, "models/detectors/yolox_nano/yolox_nano.onnx"), options);
        using var request = session.CreateRequest();
        var preprocessor = new ImagePreprocessor(spec);
        var decoder = new YoloxDecoder(spec.Width, spec.Height);
        var input = new float[spec.OutputLength];
        var candidates = new List<Detection>();
        var dogs = DatasetFactory.Open($"images:{Path.Combine(root, "datasets/imagenet-sample-500")}")
            .Read().Where(s => s.Label is >= 151 and <= 268).ToList();
        var found = 0;
        foreach (var dog in dogs)
        {
            using (var bitmap = ImageDecoder.Decode(File.ReadAllBytes(dog.ImagePath!)))
            {
                preprocessor.Process(bitmap, input);
            }

            request.SetInput<float>(session.Inputs[0].Name, input, [1, 3, spec.Height, spec.Width]);
            request.Run();
            candidates.Clear();
            decoder.Decode(request.GetOutput<float>(session.Outputs[0].Name), 0.3f, candidates);
            found += candidates.Any(d => d.ClassId == CocoDog) ? 1 : 0;
        }

        return new JsonObject
        {
            ["model"] = "yolox_nano.onnx",
            ["dog_photos"] = dogs.Count,
            ["found"] = found,
            ["recall"] = (double)found / dogs.Count,
            ["score_threshold"] = 0.3,
            ["target_recall"] = 0.75,
            ["meets_target"] = (double)found / dogs.Count >= 0.75,
        };
    }
}
