using Edge.Onnx.Protobuf;
using Edge.TestUtilities;
using Google.Protobuf;

namespace Edge.Onnx.Tests;

public sealed class OnnxModelTests
{
    [Fact]
    public void Load_Mnist_ReadsGraphAndMetadata()
    {
        var model = OnnxModel.Load(TestData.File("models/mnist/mnist.onnx"));

        Assert.Equal(3, model.Proto.IrVersion);
        Assert.Equal(12, model.Proto.Graph.Node.Count);
        Assert.Equal("Input3", model.Proto.Graph.Input[0].Name);
    }

    [Fact]
    public void Load_ZeroLengthFile_ThrowsSayingEmpty()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "empty.onnx");
        File.WriteAllBytes(path, []);

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("empty (0 bytes)", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RandomBytes_ThrowsNotAnOnnxModel()
    {
        using var folder = new TemporaryFolder();
        var bytes = new byte[4096];
        new Random(1234).NextBytes(bytes);
        var path = Path.Combine(folder.Path, "random.onnx");
        File.WriteAllBytes(path, bytes);

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("not an ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedModel_ThrowsParseFailedWithPosition()
    {
        using var folder = new TemporaryFolder();
        var bytes = File.ReadAllBytes(TestData.File("models/mnist/mnist.onnx"));
        var path = Path.Combine(folder.Path, "truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("protobuf parse failed at byte", error.Message, StringComparison.Ordinal);
        Assert.Contains($"of {bytes.Length / 2}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TextFile_ThrowsNotAnOnnxModel()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "notes.onnx");
        File.WriteAllText(path, "This is a README, not a model.\nIt has two lines.\n");

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("not an ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Directory_ThrowsSayingDirectory()
    {
        using var folder = new TemporaryFolder();

        var error = AssertOneLine(() => OnnxModel.Load(folder.Path));

        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNotFound()
    {
        using var folder = new TemporaryFolder();

        var error = AssertOneLine(() => OnnxModel.Load(Path.Combine(folder.Path, "absent.onnx")));

        Assert.Contains("was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProtobufWithoutGraph_ThrowsNoGraph()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.Write(new ModelProto { IrVersion = 8, ProducerName = "x" }, Path.Combine(folder.Path, "nograph.onnx"));

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("has no graph", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingExternalDataFile_ThrowsNamingFileAndTensor()
    {
        using var folder = new TemporaryFolder();
        var model = TestModels.AddRelu();
        Edge.Onnx.Serialization.ExternalData.SetLocation(model.Graph.Initializer[0], "weights.bin", 0, 24);
        var path = TestModels.Write(model, Path.Combine(folder.Path, "model.onnx"));

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("External data file 'weights.bin' of tensor 'W' was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExternalDataPathLeavingFolder_ThrowsLeavesFolder()
    {
        using var folder = new TemporaryFolder();
        var inner = Directory.CreateDirectory(Path.Combine(folder.Path, "inner")).FullName;
        File.WriteAllBytes(Path.Combine(folder.Path, "secret.bin"), new byte[24]);
        var model = TestModels.AddRelu();
        Edge.Onnx.Serialization.ExternalData.SetLocation(model.Graph.Initializer[0], "../secret.bin", 0, 24);
        var path = TestModels.Write(model, Path.Combine(inner, "model.onnx"));

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("leaves the model's folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelWithCycle_ThrowsNamingTheCycle()
    {
        using var folder = new TemporaryFolder();
        var model = TestModels.AddRelu();
        model.Graph.Node[0].Input[0] = "Y"; // add reads relu's output, relu reads add's output.
        var path = TestModels.Write(model, Path.Combine(folder.Path, "cycle.onnx"));

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("has a cycle: 'add' (Add) -> 'relu' (Relu) -> 'add' (Add)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NodeReadingUndefinedValue_ThrowsNamingNodeAndValue()
    {
        using var folder = new TemporaryFolder();
        var model = TestModels.AddRelu();
        model.Graph.Node[1].Input[0] = "ghost";
        var path = TestModels.Write(model, Path.Combine(folder.Path, "dangling.onnx"));

        var error = AssertOneLine(() => OnnxModel.Load(path));

        Assert.Contains("node 'relu' (Relu) in graph 'main' reads 'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CycleWithValidationOff_Loads()
    {
        using var folder = new TemporaryFolder();
        var model = TestModels.AddRelu();
        model.Graph.Node[0].Input[0] = "Y";
        var path = TestModels.Write(model, Path.Combine(folder.Path, "cycle.onnx"));

        var loaded = OnnxModel.Load(path, new OnnxLoadOptions { Validate = false });

        Assert.Equal(2, loaded.Proto.Graph.Node.Count);
    }

    [Fact]
    public void Load_NestingDeeperThanRecursionLimit_ThrowsParseFailed()
    {
        using var folder = new TemporaryFolder();
        var graph = TestModels.AddRelu().Graph;
        for (var i = 0; i < 30; i++)
        {
            var wrapper = TestModels.AddRelu().Graph;
            wrapper.Node[1].Attribute.Add(new AttributeProto { Name = "g", Type = AttributeProto.Types.AttributeType.Graph, G = graph });
            graph = wrapper;
        }

        var path = TestModels.Write(TestModels.Model(graph), Path.Combine(folder.Path, "deep.onnx"));

        var error = AssertOneLine(() => OnnxModel.Load(path, new OnnxLoadOptions { RecursionLimit = 20, Validate = false }));

        Assert.Contains("protobuf parse failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(31, OnnxModel.Load(path, new OnnxLoadOptions { Validate = false }).GetGraph().SelfAndDescendants().Count());
    }

    [Fact]
    public async Task LoadAsync_Stream_ReadsSameModelAsFile()
    {
        var path = TestData.File("models/mnist/mnist.onnx");
        await using var stream = File.OpenRead(path);

        var fromStream = await OnnxModel.LoadAsync(stream);

        Assert.Equal(OnnxModel.Load(path).Proto, fromStream.Proto);
    }

    [Fact]
    public void OnnxLoadOptions_EveryInvalidSetting_ListedAtOnce()
    {
        var error = Assert.Throws<ArgumentException>(() => new OnnxLoadOptions { MaxModelBytes = 0, RecursionLimit = 0 }.EnsureValid());

        Assert.Contains("MaxModelBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("RecursionLimit", error.Message, StringComparison.Ordinal);
    }

    private static OnnxModelException AssertOneLine(Action action)
    {
        var error = Assert.Throws<OnnxModelException>(action);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }
}
