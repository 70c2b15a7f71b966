using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Quantize;
using Edge.TestUtilities;
using static Edge.Optimizer.Tests.Passes.Quantize.QuantizeTestKit;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class QuantizeBadInputTests
{
    [Fact]
    public async Task RunAsync_CalibrationTensorOfWrongShape_NamesInputWithExpectedAndActualShape()
    {
        using var folder = new TemporaryFolder();
        var npy = WriteNpy(Path.Combine(folder.Path, "wrong.npy"), new float[2 * 28 * 27], [2, 1, 28, 27]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Calibration = $"npy:{npy}" })));

        Assert.Contains("'Input3'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1x1x28x27", error.Message, StringComparison.Ordinal);
        Assert.Contains("1x1x28x28", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CalibrationTensorOfWrongType_NamesInput()
    {
        using var folder = new TemporaryFolder();
        var model = Path.Combine(folder.Path, "ids.onnx");
        Fp16ConversionTests.BuildAddModel(3f).Save(model);
        var npy = Path.Combine(folder.Path, "text.npy");
        await File.WriteAllTextAsync(npy, "not a numpy file");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(model, Fast(new QuantizeOptions { Calibration = $"npy:{npy}" })));

        Assert.True(error is InvalidDataException or FormatException, error.GetType().Name);
        Assert.Contains("text.npy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EmptyCalibrationSet_SaysSoAndNamesDataset()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Calibration = MnistDigits(0, 0) })));

        Assert.Contains("no samples", error.Message, StringComparison.Ordinal);
        Assert.Contains("mnist:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnreadableCalibrationImage_NamesTheFile()
    {
        using var folder = new TemporaryFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "broken.jpg"), "this is not a JPEG");
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "labels.csv"), "file,class_index\nbroken.jpg,1\n");
        var spec = folder.WriteText("spec.json", SqueezeNetSpec);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            RunAsync(TestData.File(SqueezeNet), Fast(new QuantizeOptions { Calibration = $"images:{folder.Path}", Preprocess = spec })));

        Assert.Contains("broken.jpg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NothingToQuantize_WarnsAndReturnsModelUnchanged()
    {
        using var folder = new TemporaryFolder();
        var model = Path.Combine(folder.Path, "exp.onnx");
        var built = Fp16ConversionTests.BuildAddModel(3f);
        built.Proto.Graph.Node[0].OpType = "Sub"; // no static quantizer for Sub
        built.Save(model);
        var npy = WriteNpy(Path.Combine(folder.Path, "x.npy"), RandomFloats(4, 1), [2, 2]);

        var result = await RunAsync(model, Fast(new QuantizeOptions { Calibration = $"npy:{npy}" }));

        Assert.False((bool)result.Report["changed"]!);
        Assert.Contains(result.Warnings, w => w.Contains("Nothing to quantize", StringComparison.Ordinal));
        Assert.Equal(built.Proto.Graph.Node.Select(n => n.OpType), result.Model.Proto.Graph.Node.Select(n => n.OpType));
        Assert.Equal(built.Proto.Graph.Initializer[0].DataType, result.Model.Proto.Graph.Initializer[0].DataType);
    }

    [Theory]
    [InlineData("Static")]
    [InlineData("Dynamic")]
    [InlineData("Fp16")]
    public async Task RunAsync_AlreadyQuantizedModel_RefusesWithExplanation(string modeName)
    {
        var mode = Enum.Parse<QuantizeMode>(modeName);
        var error = await Assert.ThrowsAsync<QuantizationException>(() =>
            RunAsync(TestData.File("models/peer-quantized/mobilenetv2-12-int8.onnx"), new QuantizeOptions { Mode = mode, Calibration = MnistDigits(0, 1) }));

        Assert.Contains("already quantized", error.Message, StringComparison.Ordinal);
        Assert.Contains("QLinearConv", error.Message, StringComparison.Ordinal);
        Assert.Contains("original float32 model", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Static", "Int8", "UInt8", "S8U8")]
    [InlineData("Dynamic", "Int8", "Int8", "DynamicQuantizeLinear")]
    public async Task RunAsync_CombinationOnnxRuntimeCannotRun_RefusesBeforeWork(string mode, string activations, string weights, string expected)
    {
        var options = new QuantizeOptions
        {
            Mode = Enum.Parse<QuantizeMode>(mode),
            Calibration = MnistDigits(0, 1),
            ActivationType = Enum.Parse<QuantizedType>(activations),
            WeightType = Enum.Parse<QuantizedType>(weights),
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(TestData.File(Mnist), options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryOne()
    {
        var errors = new QuantizeOptions { Mode = QuantizeMode.Static, Percentile = 50, MaxAccuracyDrop = 1, Threads = 0, ChannelGuardLevels = 0.5 }.Validate();

        Assert.Equal(5, errors.Count); // no calibration, percentile, max drop without --eval, threads, guard levels
        Assert.Contains(errors, e => e.Contains("--channel-guard-levels is 0.5; expected 1 to 128", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ModelAtOpset7WithSoftmax_UpgradesWithoutChangingOutputs()
    {
        using var folder = new TemporaryFolder();
        var spec = folder.WriteText("spec.json", SqueezeNetSpec);
        var result = await RunAsync(TestData.File(SqueezeNet), Fast(new QuantizeOptions { Calibration = Images(0, 2), Preprocess = spec, AnalyzeLayers = false }));
        var path = Save(result, folder);

        var opset = result.Model.Proto.OpsetImport.Single(o => o.Domain.Length == 0).Version;
        Assert.Equal(13, opset);
        var input = RandomFloats(3 * 224 * 224, 3, -100, 100);
        var expected = Run(TestData.File(SqueezeNet), (input, [1, 3, 224, 224]))[0];
        var actual = Run(path, (input, [1, 3, 224, 224]))[0];
        Assert.Equal(1000, actual.Length);
        Assert.InRange(actual.Sum(), 0.99f, 1.01f); // still a softmax over the 1000 classes, not over a size-1 axis
        Assert.Equal(expected.Length, actual.Length);
    }

    [Fact]
    public async Task RunAsync_ValidatorAndRuntimeOnEveryMode_AcceptTheOutput()
    {
        foreach (var mode in new[] { QuantizeMode.Dynamic, QuantizeMode.Fp16 })
        {
            var result = await RunAsync(TestData.File(Mnist), Fast(new QuantizeOptions { Mode = mode }));
            Assert.Empty(result.Model.Validate());
            Assert.True((bool)result.Report["changed"]!, $"{mode} changed nothing");
            Assert.Equal(TensorProto.Types.DataType.Float, (TensorProto.Types.DataType)result.Model.Proto.Graph.Output[0].Type.TensorType.ElemType);
        }
    }
}
