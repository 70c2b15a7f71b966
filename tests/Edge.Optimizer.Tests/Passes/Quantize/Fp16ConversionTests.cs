using System.Runtime.InteropServices;
using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Quantize;
using Edge.TestUtilities;
using Google.Protobuf;
using static Edge.Optimizer.Tests.Passes.Quantize.QuantizeTestKit;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class Fp16ConversionTests
{
    [Fact]
    public async Task RunAsync_MnistFp16WithBlockedMaxPool_KeepsFloat32IoAndAddsMinimalCasts()
    {
        using var folder = new TemporaryFolder();
        var options = Fast(new QuantizeOptions { Mode = QuantizeMode.Fp16, Fp16BlockList = ["MaxPool"] });

        var result = await RunAsync(TestData.File(Mnist), options);
        var path = Save(result, folder);

        var graph = result.Model.Proto.Graph;
        Assert.Empty(result.Model.Validate());
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        Assert.All(graph.Input.Where(i => !initializers.Contains(i.Name)).Concat(graph.Output), v => Assert.Equal((int)TensorProto.Types.DataType.Float, v.Type.TensorType.ElemType));
        Assert.Contains(graph.Initializer, i => i.DataType == (int)TensorProto.Types.DataType.Float16);
        // One Cast in and out per MaxPool (two of them), one at the input and one at the output.
        Assert.Equal(6, graph.Node.Count(n => n.OpType == "Cast"));
        Assert.Equal(2, result.Report["quantization"]!["float_nodes"]!.AsArray().Count);
        var input = RandomFloats(784, seed: 4, 0, 255);
        var expected = Run(TestData.File(Mnist), (input, [1, 1, 28, 28]))[0];
        var actual = Run(path, (input, [1, 1, 28, 28]))[0];
        Assert.All(expected.Zip(actual), p => Assert.InRange(p.Second - p.First, -0.5f, 0.5f));
    }

    [Fact]
    public async Task RunAsync_InitializerBeyondFp16Range_ClampsAndReports()
    {
        using var folder = new TemporaryFolder();
        var model = Path.Combine(folder.Path, "large.onnx");
        BuildAddModel(1e6f).Save(model);

        var result = await RunAsync(model, Fast(new QuantizeOptions { Mode = QuantizeMode.Fp16 }));
        var path = Save(result, folder, "fp16.onnx");

        var clamped = result.Report["quantization"]!["clamped_initializers"]!.AsArray();
        Assert.Single(clamped);
        Assert.Equal(1, (int)clamped[0]!["values_clamped"]!);
        Assert.Contains(result.Warnings, w => w.Contains("65504", StringComparison.Ordinal));
        var output = Run(path, (new float[] { 1, 2 }, [1, 2]))[0];
        Assert.InRange(output[0], 65504f, 65505f); // 1e6 was clamped to 65504 (plus 1; the Add may run in float32 where ONNX Runtime lacks an fp16 kernel)
        Assert.Equal(4f, output[1]);
    }

    [Fact]
    public async Task RunAsync_Fp16Model_RefusesWithExplanation()
    {
        var error = await Assert.ThrowsAsync<QuantizationException>(() =>
            RunAsync(TestData.File("models/classifiers/squeezenet1.0/SqueezeNet_fp16.onnx"), new QuantizeOptions { Mode = QuantizeMode.Fp16 }));

        Assert.Contains("already float16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_SqueezeNetFp16_AgreesWithFloat32OnAtLeast99Percent()
    {
        using var folder = new TemporaryFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "spec.json"), SqueezeNetSpec);
        var options = Fast(new QuantizeOptions { Mode = QuantizeMode.Fp16, Eval = Images(100, 500), Preprocess = Path.Combine(folder.Path, "spec.json") });

        var result = await RunAsync(TestData.File(SqueezeNet), options);

        Assert.True((double)result.Report["accuracy"]!["top1_agreement"]! >= 0.99, $"agreement {result.Report["accuracy"]!["top1_agreement"]}");
        Assert.InRange((double)result.Report["size"]!["ratio"]!, 0.45, 0.55);
    }

    /// <summary>y[1x2] = x[1x2] + [large, 2]: with 1e6, one constant beyond the fp16 range.</summary>
    internal static OnnxModel BuildAddModel(float large)
    {
        var graph = new GraphProto { Name = "add" };
        var values = new[] { large, 2f };
        var constant = new TensorProto { Name = "c", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        constant.Dims.Add(2);
        graph.Initializer.Add(constant);
        graph.Input.Add(Vector("x"));
        graph.Output.Add(Vector("y"));
        graph.Node.Add(new NodeProto { OpType = "Add", Name = "add", Input = { "x", "c" }, Output = { "y" } });
        var proto = new ModelProto { IrVersion = 8, Graph = graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return OnnxModel.FromProto(proto);
    }

    private static ValueInfoProto Vector(string name)
    {
        var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() } };
        type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 2 });
        return new ValueInfoProto { Name = name, Type = type };
    }
}
