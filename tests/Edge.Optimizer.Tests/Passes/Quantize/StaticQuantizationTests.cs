using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize;
using Edge.TestUtilities;
using Xunit.Abstractions;
using static Edge.Optimizer.Tests.Passes.Quantize.QuantizeTestKit;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class StaticQuantizationTests
{
    private readonly ITestOutputHelper _output;

    public StaticQuantizationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task RunAsync_MnistStatic_FusesIntoIntegerKernelsAndKeepsPredictions()
    {
        using var folder = new TemporaryFolder();
        var result = await RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Calibration = MnistDigits(0, 50), AnalyzeLayers = false }));
        var path = Save(result, folder);

        Assert.Empty(result.Model.Validate());
        var kernels = OptimizedOpTypes(path, folder);
        Assert.Equal(2, kernels.GetValueOrDefault("QLinearConv"));
        Assert.DoesNotContain("Relu", result.Model.Proto.Graph.Node.Select(n => n.OpType));
        // Only the domains the model uses: not the training and layout domains ONNX Runtime's saved copy imports.
        Assert.Equal([""], result.Model.Proto.OpsetImport.Select(o => o.Domain));
        foreach (var set in Directory.GetDirectories(TestData.Directory("models/mnist/mnist_generated_test_data")))
        {
            var input = TensorData.ReadFloats(Onnx.Protobuf.TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(set, "input_0.pb"))));
            var expected = Run(TestData.File(Mnist), (input, [1, 1, 28, 28]))[0];
            var actual = Run(path, (input, [1, 1, 28, 28]))[0];
            Assert.Equal(ArgMax(expected), ArgMax(actual));
        }
    }

    [Fact]
    public async Task RunAsync_SqueezeNetStatic_FoldsReluAndSharesConcatScales()
    {
        using var folder = new TemporaryFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "spec.json"), SqueezeNetSpec);
        var options = Fast(new QuantizeOptions { Calibration = Images(0, 4), Preprocess = Path.Combine(folder.Path, "spec.json"), AnalyzeLayers = false });

        var result = await RunAsync(TestData.File(SqueezeNet), options);
        var path = Save(result, folder);

        var graph = result.Model.Proto.Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Relu");
        Assert.Equal(26, (int)result.Report["quantization"]!["folded_activations"]!);
        var kernels = OptimizedOpTypes(path, folder);
        Assert.Equal(26, kernels.GetValueOrDefault("QLinearConv"));
        Assert.Equal(8, kernels.GetValueOrDefault("QLinearConcat"));

        // Concat inputs and output share one scale, so the integer Concat needs no requantization.
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (var concat in graph.Node.Where(n => n.OpType == "Concat"))
        {
            var scales = concat.Input.Select(i => producers[i]).Where(p => p.OpType == "DequantizeLinear")
                .Select(p => TensorData.ReadFloats(initializers[p.Input[1]])[0]).Distinct().ToList();
            var outputQuantize = graph.Node.Single(n => n.OpType == "QuantizeLinear" && n.Input[0] == concat.Output[0]);
            Assert.Single(scales);
            Assert.Equal(scales[0], TensorData.ReadFloats(initializers[outputQuantize.Input[1]])[0]);
        }
    }

    [Theory]
    [InlineData("Percentile", "UInt8", "Int8", true)]
    [InlineData("Entropy", "Int8", "Int8", false)]
    [InlineData("MinMax", "UInt8", "UInt8", true)]
    [InlineData("Mse", "UInt8", "Int8", true)]
    public async Task RunAsync_MnistWithMethodAndTypes_ProducesRunnableModelWithSamePredictions(string methodName, string activationName, string weightName, bool perChannel)
    {
        var method = Enum.Parse<CalibrationMethod>(methodName);
        var activations = Enum.Parse<QuantizedType>(activationName);
        var weights = Enum.Parse<QuantizedType>(weightName);
        using var folder = new TemporaryFolder();
        var options = Fast(new QuantizeOptions
        {
            Calibration = MnistDigits(0, 30),
            Method = method,
            ActivationType = activations,
            WeightType = weights,
            WeightSymmetric = weights == QuantizedType.Int8,
            PerChannel = perChannel,
            AnalyzeLayers = false,
        });

        var result = await RunAsync(TestData.File(Mnist), options);
        var path = Save(result, folder);

        Assert.Empty(result.Model.Validate());
        var agree = 0;
        foreach (var sample in Edge.Optimizer.Data.DatasetFactory.Open(MnistDigits(100, 150)).Read())
        {
            var input = (float[])sample.Inputs![0].Data;
            agree += ArgMax(Run(TestData.File(Mnist), (input, [1, 1, 28, 28]))[0]) == ArgMax(Run(path, (input, [1, 1, 28, 28]))[0]) ? 1 : 0;
        }

        Assert.True(agree >= 48, $"{method} {activations}/{weights}: only {agree} of 50 predictions match float32.");
    }

    [Fact]
    public async Task RunAsync_ExcludeOpTypeAndOpTypes_LeaveNodesFloatWithReason()
    {
        var excluded = await RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Calibration = MnistDigits(0, 10), ExcludeOpTypes = ["Gemm"], AnalyzeLayers = false }));
        var onlyConv = await RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Calibration = MnistDigits(0, 10), OpTypes = ["Conv"], AnalyzeLayers = false }));

        var floatNodes = excluded.Report["quantization"]!["float_nodes"]!.AsArray();
        Assert.Contains(floatNodes, n => (string?)n!["op_type"] == "Gemm" && ((string?)n["reason"])!.Contains("--exclude-op-types", StringComparison.Ordinal));
        Assert.Contains(excluded.Model.Proto.Graph.Node, n => n.OpType == "Gemm" && n.Input[1].Length > 0 && excluded.Model.Proto.Graph.Initializer.Any(i => i.Name == n.Input[1] && i.DataType == 1));
        var quantizedOps = onlyConv.Report["quantization"]!["quantized_by_op_type"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(["Conv"], quantizedOps);
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_MnistCalibratedOnFirst500_DropsAtMostPointThreeOnDigits5000To9999()
    {
        var result = await RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Calibration = MnistDigits(0, 500), Eval = MnistDigits(5000, 10000) }));

        var accuracy = result.Report["accuracy"]!;
        _output.WriteLine(accuracy.ToJsonString());
        Assert.Equal(5000, (int)accuracy["samples"]!);
        Assert.True((double)accuracy["drop_points"]! <= 0.3, $"top-1 dropped {accuracy["drop_points"]} points");
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_SqueezeNetCalibratedOnFirst100_MeetsSizeAgreementAndAccuracyTargets()
    {
        using var folder = new TemporaryFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "spec.json"), SqueezeNetSpec);
        var options = Fast(new QuantizeOptions
        {
            Calibration = Images(0, 100),
            Eval = Images(100, 500),
            Preprocess = Path.Combine(folder.Path, "spec.json"),
            PerChannel = true,
        });

        var result = await RunAsync(TestData.File(SqueezeNet), options);

        var accuracy = result.Report["accuracy"]!;
        var size = result.Report["size"]!;
        _output.WriteLine(new JsonObject { ["size"] = size.DeepClone(), ["accuracy"] = accuracy.DeepClone() }.ToJsonString());
        Assert.Equal(400, (int)accuracy["samples"]!);
        Assert.True((double)size["ratio"]! <= 0.3, $"size ratio {size["ratio"]}");
        Assert.True((double)accuracy["top1_agreement"]! >= 0.95, $"agreement {accuracy["top1_agreement"]}");
        Assert.True((double)accuracy["drop_points"]! <= 1.0, $"top-1 drop {accuracy["drop_points"]} points");
        Assert.True(result.Report["layers"]!.AsArray().Count > 0);
    }

    internal static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
