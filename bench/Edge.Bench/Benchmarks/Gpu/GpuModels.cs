using Edge.Onnx;
using Edge.Optimizer.Passes.Quantize;
using Edge.Optimizer.Pipeline;
using Edge.Sdk.Inference;

namespace Edge.Bench.Benchmarks.Gpu;

/// <summary>The models the GPU check runs, their synthetic inputs, and the session options of each variant.</summary>
internal static class GpuModels
{
    public const string SqueezeNet = "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx";
    public const string YoloxNano = "models/detectors/yolox_nano/yolox_nano.onnx";

    /// <summary>Variants timed against the CPU: CUDA fp32, TensorRT fp32/fp16, and TensorRT int8 on a QDQ model.</summary>
    public static readonly string[] Variants = ["cuda-fp32", "tensorrt-fp32", "tensorrt-fp16", "tensorrt-int8"];

    public static string PathOf(string model) => Path.Combine(Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!, model);

    public static string Key(string model) => model == SqueezeNet ? "squeezenet" : "yolox_nano";

    public static string ModelOf(string key) => key == "squeezenet" ? SqueezeNet : YoloxNano;

    /// <summary>Deterministic inputs in the model's pixel range (BGR minus mean for SqueezeNet, 0-255 for YOLOX).</summary>
    public static float[] Input(EdgeSession session, string model, int seed)
    {
        var length = (int)session.Inputs[0].Dimensions.Aggregate(1L, (a, d) => a * Math.Max(d, 1));
        var random = new Random(seed);
        var (low, high) = model == YoloxNano ? (0f, 255f) : (-123f, 151f);
        var input = new float[length];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = low + ((high - low) * random.NextSingle());
        }

        return input;
    }

    public static float[] Output(EdgeSession session) =>
        new float[(int)session.Outputs[0].Dimensions.Aggregate(1L, (a, d) => a * Math.Max(d, 1))];

    public static EdgeSessionOptions Options(string variant, string? engineCache = null)
    {
        var options = new EdgeSessionOptions { WarmupRuns = 1, Cpu = new CpuProviderOptions { IntraOpThreads = 2, InterOpThreads = 1 } };
        options.Provider = variant switch
        {
            "cpu-fp32" => ExecutionProvider.Cpu,
            "cuda-fp32" => ExecutionProvider.Cuda,
            _ => ExecutionProvider.TensorRT,
        };
        options.TensorRt.EnableFp16 = variant == "tensorrt-fp16";
        options.TensorRt.EnableInt8 = variant == "tensorrt-int8";
        options.TensorRt.EngineCacheDirectory = engineCache;
        return options;
    }

    /// <summary>
    /// A QDQ int8 copy of <paramref name="model"/> from our quantizer (static, symmetric int8 activations and
    /// symmetric per-channel int8 weights, the explicit-quantization form TensorRT reads), calibrated on 32 ImageNet
    /// photos. Not run on a GPU yet: if TensorRT rejects it, the case records the error.
    /// </summary>
    public static string QuantizeForTensorRt(string model, string folder)
    {
        var data = Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!;
        var spec = Path.Combine(folder, "spec.json");
        File.WriteAllText(spec, model == SqueezeNet
            ? """{"width":224,"height":224,"resize":"shorterSideCrop","shorterSide":256,"interpolation":"bilinear","colorOrder":"bgr","mean":[104,117,123]}"""
            : """{ "width": 416, "height": 416, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }""");
        var options = new QuantizeOptions
        {
            Mode = QuantizeMode.Static,
            Calibration = $"images:{Path.Combine(data, "datasets/imagenet-sample-500")}@0:32",
            Preprocess = spec,
            PerChannel = true,
            ActivationType = QuantizedType.Int8,
            ActivationSymmetric = true, // TensorRT's explicit quantization takes zero points of 0 only
            LatencyRuns = 0,
            AnalyzeLayers = false,
        };
        var result = new QuantizePass().RunAsync(OnnxModel.Load(PathOf(model)), options, PassContext.Silent, CancellationToken.None).GetAwaiter().GetResult();
        var path = Path.Combine(folder, "int8-qdq.onnx");
        result.Model.Save(path);
        return path;
    }
}
