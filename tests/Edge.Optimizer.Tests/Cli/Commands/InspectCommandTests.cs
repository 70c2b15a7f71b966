using System.Text.Json;
using Edge.Onnx;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class InspectCommandTests
{
    private const string Mnist = "models/mnist/mnist.onnx";
    private const string Squeezenet = "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx";

    [Fact]
    public async Task Inspect_MnistJson_ReportsSchemaParametersShapesAndOps()
    {
        var json = await InspectJsonAsync(Mnist);

        Assert.Equal("edge.inspect/v1", json.GetProperty("schema").GetString());
        Assert.Equal(3, json.GetProperty("ir_version").GetInt64());
        Assert.Equal(5_998, json.GetProperty("parameters").GetInt64());
        Assert.Equal("CNTK", json.GetProperty("producer").GetProperty("name").GetString());
        Assert.Equal("1 x 1 x 28 x 28", json.GetProperty("inputs")[0].GetProperty("shape_text").GetString());
        Assert.Equal([1, 1, 28, 28], json.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        // Two Reshape shape tensors hold 4 int64 values; the other 5,994 parameters are floats.
        Assert.Equal((5_998 - 4) * 4, json.GetProperty("weight_bytes").GetProperty("float").GetInt64());
        Assert.Equal(4 * 8, json.GetProperty("weight_bytes").GetProperty("int64").GetInt64());
        Assert.Equal(0, json.GetProperty("subgraph_count").GetInt32());
        Assert.Equal(ManifestOpTypes(Mnist), json.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("op_type").GetString()!).Order());
    }

    [Fact]
    public async Task Inspect_MnistJson_MacsMatchHandComputationFromTheGraph()
    {
        // First confirm the facts the hand computation rests on: two 5x5 "same" convolutions on 28x28 and 14x14
        // maps (1->8 and 8->16 channels), and a 256x10 MatMul.
        var graph = OnnxModel.Load(TestData.File(Mnist)).GetGraph();
        var convs = graph.Proto.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal([8L, 1, 5, 5], graph.GetInitializer(convs[0].Input[1])!.Dims);
        Assert.Equal([16L, 8, 5, 5], graph.GetInitializer(convs[1].Input[1])!.Dims);
        Assert.All(convs, c => Assert.Equal("SAME_UPPER", c.Attribute.Single(a => a.Name == "auto_pad").S.ToStringUtf8()));
        var matmul = graph.Proto.Node.Single(n => n.OpType == "MatMul");
        var reshape = graph.GetProducer(matmul.Input[1]); // CNTK reshapes the 16x4x4x10 weight to 256x10.
        Assert.Equal("Reshape", reshape!.OpType);
        Assert.Equal([256L, 10], Edge.Onnx.Graph.TensorData.ReadInt64s(graph.GetInitializer(reshape.Input[1])!));

        var macs = (await InspectJsonAsync(Mnist)).GetProperty("macs");

        Assert.Equal((28 * 28 * 8 * 25 * 1) + (14 * 14 * 16 * 25 * 8), macs.GetProperty("by_op_type").GetProperty("Conv").GetInt64());
        Assert.Equal(256 * 10, macs.GetProperty("by_op_type").GetProperty("MatMul").GetInt64());
        Assert.Equal(786_560, macs.GetProperty("total").GetInt64());
        Assert.Equal("onnxruntime", macs.GetProperty("shape_source").GetString());
        Assert.Equal(0, macs.GetProperty("unknown").GetArrayLength());
    }

    [Fact]
    public async Task Inspect_SqueezenetJson_ReportsKnownParameterCountAndFloatBytes()
    {
        var json = await InspectJsonAsync(Squeezenet);

        Assert.Equal(1_235_496, json.GetProperty("parameters").GetInt64());
        Assert.Equal(1_235_496 * 4, json.GetProperty("weight_bytes").GetProperty("float").GetInt64());
        Assert.Equal(ManifestOpTypes(Squeezenet), json.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("op_type").GetString()!).Order());
        Assert.True(json.GetProperty("macs").GetProperty("by_op_type").GetProperty("Conv").GetInt64() > 0);
    }

    [Fact]
    public async Task Inspect_SymbolicInputTable_KeepsDimNameAndSaysItWasSetToOne()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("inspect", TestData.File("models/classifiers/squeezenet1.1_food10/squeezenet_tensor_input.onnx"));

        Assert.True(exitCode == 0, error);
        Assert.Contains("None x 3 x 227 x 227", output, StringComparison.Ordinal);
        Assert.Contains("symbolic dims set to 1: data[0]=None", output, StringComparison.Ordinal);
        Assert.Contains("ai.onnx.ml:ZipMap", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_ModelOnnxRuntimeCannotRun_ReportsMacsUnknownWithReason()
    {
        using var folder = new TemporaryFolder();
        var model = OnnxModel.Load(TestData.File(Mnist)).Proto;
        var relu = model.Graph.Node.First(n => n.OpType == "Relu");
        relu.OpType = "NoSuchOp";
        relu.Domain = "com.example";
        model.OpsetImport.Add(new Edge.Onnx.Protobuf.OperatorSetIdProto { Domain = "com.example", Version = 1 });
        var path = Path.Combine(folder.Path, "custom.onnx");
        OnnxModel.FromProto(model).Save(path);

        var macs = (await InspectJsonAsync(path)).GetProperty("macs");

        Assert.Equal("unavailable", macs.GetProperty("shape_source").GetString());
        Assert.Contains("NoSuchOp", macs.GetProperty("shape_failure").GetString(), StringComparison.Ordinal);
        var unknown = macs.GetProperty("unknown").EnumerateArray().ToList();
        Assert.Equal(["Conv", "Conv", "MatMul"], unknown.Select(u => u.GetProperty("op_type").GetString()));
        Assert.All(unknown, u => Assert.Contains("unknown", u.GetProperty("reason").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("text")]
    [InlineData("directory")]
    [InlineData("missing")]
    [InlineData("missing-external-data")]
    [InlineData("cycle")]
    [InlineData("undefined")]
    [InlineData("length-lie")]
    public async Task Inspect_BadInput_ExitsTwoWithOneLineAndNoStackTrace(string kind)
    {
        using var folder = new TemporaryFolder();
        var path = BadInputs.Create(kind, folder.Path);

        var (exitCode, output, error) = await CliRunner.RunAsync("inspect", path);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{error}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_BadInputWithVerbose_PrintsStackTrace()
    {
        using var folder = new TemporaryFolder();
        var path = BadInputs.Create("truncated", folder.Path);

        var (exitCode, _, error) = await CliRunner.RunAsync("inspect", path, "--verbose");

        Assert.Equal(2, exitCode);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> InspectJsonAsync(string model)
    {
        var path = Path.IsPathRooted(model) ? model : TestData.File(model);
        var (exitCode, output, error) = await CliRunner.RunAsync("inspect", path, "--json");
        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static List<string> ManifestOpTypes(string relative)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(TestData.File("models/manifest.json")));
        var entry = manifest.RootElement.GetProperty("files").EnumerateArray()
            .Single(f => "models/" + f.GetProperty("file").GetString() == relative);
        return entry.GetProperty("op_types").EnumerateArray().Select(o => o.GetString()!).Order().ToList();
    }
}
