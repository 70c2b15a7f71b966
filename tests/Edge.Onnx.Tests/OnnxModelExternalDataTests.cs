using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.TestUtilities;

namespace Edge.Onnx.Tests;

public sealed class OnnxModelExternalDataTests
{
    private const string Squeezenet = "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx";

    [Fact]
    public void Save_WithThreshold_MovesLargeTensorsOutAndReloadsTheSameValues()
    {
        using var folder = new TemporaryFolder();
        var source = OnnxModel.Load(TestData.File(Squeezenet));
        var path = Path.Combine(folder.Path, "model.onnx");

        source.Save(path, new OnnxSaveOptions { ExternalDataThresholdBytes = 4096 });
        var reloaded = OnnxModel.Load(path);

        var externalCount = reloaded.Proto.Graph.Initializer.Count(t => t.DataLocation == TensorProto.Types.DataLocation.External);
        var expectedExternal = source.Proto.Graph.Initializer.Count(t => t.RawData.Length >= 4096 || t.FloatData.Count * 4 >= 4096);
        Assert.True(expectedExternal > 10, $"expected squeezenet to have many large tensors, found {expectedExternal}");
        Assert.Equal(expectedExternal, externalCount);
        Assert.True(File.Exists(path + ".data"));
        Assert.True(new FileInfo(path).Length < 100_000, $"model file is {new FileInfo(path).Length} bytes; weights should be external");
        foreach (var (before, after) in source.Proto.Graph.Initializer.Zip(reloaded.Proto.Graph.Initializer))
        {
            Assert.Equal(TensorData.ReadFloats(before), TensorData.ReadFloats(after, reloaded.ExternalDataDirectory));
        }
    }

    [Fact]
    public void Load_ExternalModel_KeepsExternalBytesOnDisk()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        OnnxModel.Load(TestData.File(Squeezenet)).Save(path, new OnnxSaveOptions { ExternalDataThresholdBytes = 1024 });

        var reloaded = OnnxModel.Load(path);

        var external = reloaded.Proto.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.NotEmpty(external);
        Assert.All(external, t => Assert.True(t.RawData.IsEmpty && t.FloatData.Count == 0, $"tensor '{t.Name}' holds data in memory"));
    }

    [Fact]
    public async Task SaveAsync_ExternalModelToAnotherFolder_StreamsDataAcrossAndInlinesToStreamEqualToOriginal()
    {
        using var first = new TemporaryFolder();
        using var second = new TemporaryFolder();
        var original = ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestData.File(Squeezenet)));
        var firstPath = Path.Combine(first.Path, "a.onnx");
        await OnnxModel.FromProto(original.Clone()).SaveAsync(firstPath, new OnnxSaveOptions { ExternalDataThresholdBytes = 1, ExternalDataFileName = "weights.bin" });

        var loaded = await OnnxModel.LoadAsync(firstPath);
        var secondPath = Path.Combine(second.Path, "b.onnx");
        await loaded.SaveAsync(secondPath);
        File.Delete(Path.Combine(first.Path, "weights.bin"));
        var copy = await OnnxModel.LoadAsync(secondPath);
        using var inline = new MemoryStream();
        await copy.SaveAsync(inline);

        Assert.True(File.Exists(Path.Combine(second.Path, "b.onnx.data")));
        Assert.Equal(second.Path, copy.ExternalDataDirectory);
        Assert.Equal(NormalizeStorage(original), NormalizeStorage(ModelProto.Parser.ParseFrom(inline.ToArray())));
    }

    [Fact]
    public void Save_OverItsOwnDataFile_ModelStillReadsItsTensors()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        var expected = OnnxModel.Load(TestData.File(Squeezenet)).Proto.Graph.Initializer.Select(t => TensorData.ReadFloats(t)).ToList();
        OnnxModel.Load(TestData.File(Squeezenet)).Save(path, new OnnxSaveOptions { ExternalDataThresholdBytes = 1024 });
        var model = OnnxModel.Load(path);
        model.Proto.Graph.Initializer.RemoveAt(0); // Changes the data file's layout on the next save.
        model.Proto.Graph.Node[0].Input.RemoveAt(1);

        model.Save(path);

        Assert.Equal(expected.Skip(1), model.Proto.Graph.Initializer.Select(model.ReadTensorBytes).Select(b => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(b).ToArray()));
        Assert.Equal(expected.Skip(1), OnnxModel.Load(path, new OnnxLoadOptions { Validate = false }).Proto.Graph.Initializer.Select(t => TensorData.ReadFloats(t, folder.Path)));
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
    }

    [Fact]
    public void Load_ExternalLengthBeyondFileEnd_ThrowsNamingTheBytes()
    {
        using var folder = new TemporaryFolder();
        var model = TestModels.AddRelu();
        File.WriteAllBytes(Path.Combine(folder.Path, "w.bin"), new byte[10]);
        Edge.Onnx.Serialization.ExternalData.SetLocation(model.Graph.Initializer[0], "w.bin", 0, 24);
        var path = TestModels.Write(model, Path.Combine(folder.Path, "model.onnx"));

        var error = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(path));

        Assert.Contains("needs bytes 0..24 of external file 'w.bin', which is only 10 bytes long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnnxSaveOptions_EveryInvalidSetting_ListedAtOnce()
    {
        var error = Assert.Throws<ArgumentException>(() => new OnnxSaveOptions { ExternalDataThresholdBytes = -1, ExternalDataFileName = "../x" }.EnsureValid());

        Assert.Contains("ExternalDataThresholdBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("ExternalDataFileName", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Inlining converts typed fields to raw_data; compare the values, not the field they sit in.</summary>
    private static ModelProto NormalizeStorage(ModelProto model)
    {
        foreach (var tensor in model.Graph.Initializer)
        {
            TensorData.WriteRawBytes(tensor, TensorData.ReadRawBytes(tensor));
        }

        return model;
    }
}
