using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Image preprocessing speed, single thread: a 1280x720 camera frame (RGB24, and NV12 for comparison) to a 224x224
/// normalised NCHW float tensor (resize shorter side 256 + centre crop + ImageNet mean/std), and JPEG decode alone
/// and decode + preprocess of an ImageNet photo. Each case runs in its own child process after warm-up.
/// </summary>
internal sealed class PreprocessBenchmark : IBenchmark
{
    private const string FrameSpec = """
        { "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "interpolation": "bilinear",
          "scale": 0.003921569, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] }
        """;

    private const string JpegFile = "datasets/imagenet-sample-500/n02110958_pug.JPEG";

    public string Name => "preprocess";

    public string Description => "1280x720 RGB24/NV12 frame -> 224x224 normalised NCHW float, and JPEG decode (+ preprocess), one thread";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new JsonObject();
        foreach (var name in new[] { "frame_rgb24", "frame_nv12", "frame_rgb24_area", "jpeg_decode", "jpeg_decode_preprocess" })
        {
            results[name] = await context.RunChildAsync(this, [name, context.Quick ? "quick" : "full"], cancellationToken);
        }

        results["frame_nv12_over_frame_rgb24"] = Ratio(results, "frame_nv12", "frame_rgb24");
        results["jpeg_decode_preprocess_over_jpeg_decode"] = Ratio(results, "jpeg_decode_preprocess", "jpeg_decode");
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var quick = arguments.Count > 1 && arguments[1] == "quick";
        var (warmup, runs) = quick ? (10, 50) : (100, 1000);
        var spec = PreprocessSpec.FromJson(FrameSpec);
        var tensor = new float[spec.OutputLength];
        double[] samples;
        switch (arguments[0])
        {
            case "frame_rgb24" or "frame_rgb24_area":
            {
                var frame = SyntheticRgb(1280, 720);
                var preprocessor = new ImagePreprocessor(arguments[0] == "frame_rgb24" ? spec : spec with { Interpolation = Interpolation.Area });
                samples = Measure.Repeat(() => preprocessor.Process(new ImageFrame(frame, 1280, 720, PixelFormat.Rgb24), tensor), warmup, runs);
                break;
            }

            case "frame_nv12":
            {
                var frame = SyntheticNv12(1280, 720);
                var preprocessor = new ImagePreprocessor(spec);
                samples = Measure.Repeat(() => preprocessor.Process(new ImageFrame(frame, 1280, 720, PixelFormat.Nv12), tensor), warmup, runs);
                break;
            }

            case "jpeg_decode":
            {
                var bytes = File.ReadAllBytes(Path.Combine(Edge.TestUtilities.TestData.Root, JpegFile));
                samples = Measure.Repeat(() => ImageDecoder.Decode(bytes).Dispose(), warmup / 2, runs / 4);
                break;
            }

            case "jpeg_decode_preprocess":
            {
                var bytes = File.ReadAllBytes(Path.Combine(Edge.TestUtilities.TestData.Root, JpegFile));
                var preprocessor = new ImagePreprocessor(spec);
                samples = Measure.Repeat(
                    () =>
                    {
                        using var bitmap = ImageDecoder.Decode(bytes);
                        preprocessor.Process(bitmap.AsFrame(), tensor);
                    },
                    warmup / 2,
                    runs / 4);
                break;
            }

            default:
                throw new ArgumentException($"Unknown preprocess case '{arguments[0]}'.");
        }

        var summary = Measure.Summarize(samples);
        summary["peak_rss_bytes"] = Measure.PeakResidentBytes();
        return summary;
    }

    private static JsonNode? Ratio(JsonObject results, string numerator, string denominator) =>
        results[numerator]!["p50_ms"]!.GetValue<double>() / results[denominator]!["p50_ms"]!.GetValue<double>();

    private static byte[] SyntheticRgb(int width, int height)
    {
        // Smooth gradients plus noise: realistic memory traffic, and nothing the resampler could short-cut.
        var random = new Random(42);
        var frame = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                frame[i] = (byte)((x * 255 / width) ^ random.Next(16));
                frame[i + 1] = (byte)((y * 255 / height) ^ random.Next(16));
                frame[i + 2] = (byte)random.Next(256);
            }
        }

        return frame;
    }

    private static byte[] SyntheticNv12(int width, int height)
    {
        var frame = new byte[width * height * 3 / 2];
        new Random(42).NextBytes(frame);
        return frame;
    }
}
