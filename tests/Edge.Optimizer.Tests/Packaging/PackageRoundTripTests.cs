using Edge.Onnx.Protobuf;
using Edge.Optimizer.Tests.Packaging;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Packaging;

/// <summary>pack -> verify -> open -> run on real models: the extracted model must compute exactly what the original does.</summary>
public sealed class PackageRoundTripTests
{
    [Theory]
    [InlineData("models/mnist/mnist.onnx")]
    [InlineData("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx")]
    [InlineData("models/detectors/yolox_nano/yolox_nano.onnx")]
    public async Task PackVerifyOpenRun_SharedModel_OutputsMatchOriginal(string relativeModel)
    {
        var original = TestData.File(relativeModel);
        using var workspace = await PackagingWorkspace.CreateAsync();

        var opened = await PackVerifyOpenAsync(workspace, original, "roundtrip");

        using (opened)
        {
            AssertSameOutputs(OnnxRunner.RunWithSeededInputs(original, seed: 7), OnnxRunner.RunWithSeededInputs(opened.ModelPath, seed: 7));
        }
    }

    [Fact]
    public async Task PackVerifyOpenRun_ModelWithExternalData_IncludesItAndOutputsMatch()
    {
        var original = TestData.File("models/mnist/mnist.onnx");
        using var workspace = await PackagingWorkspace.CreateAsync();
        var external = ExternalDataModel.Create(original, Path.Combine(workspace.Root, "model-src"));

        using var opened = await PackVerifyOpenAsync(workspace, external, "mnist-external");

        var data = Assert.Single(opened.Manifest.Files, f => f.Role == PackageFileRole.ExternalData);
        Assert.Equal("model/" + ExternalDataModel.DataLocation, data.Path);
        Assert.Equal(Path.Combine(opened.Directory, "model", "weights", "mnist.bin"), Assert.Single(opened.ExternalDataPaths));
        Assert.Equal(["N", "1", "28", "28"], opened.Manifest.Inputs[0].Shape.Select(d => d.ToString()));
        Assert.Equal("N", opened.Manifest.Inputs[0].Shape[0].Symbol);
        AssertSameOutputs(OnnxRunner.RunWithSeededInputs(original, seed: 3), OnnxRunner.RunWithSeededInputs(opened.ModelPath, seed: 3));
    }

    [Fact]
    public async Task PackOpen_GoldenSamples_ExtractedModelMeetsTolerances()
    {
        var model = TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx");
        using var workspace = await PackagingWorkspace.CreateAsync();

        using var opened = await PackVerifyOpenAsync(workspace, model, "squeezenet", "--golden", TestData.Directory("models/classifiers/squeezenet1.0"), "--golden-atol", "1e-3", "--golden-rtol", "0");

        var sample = Assert.Single(opened.Manifest.Golden);
        Assert.Equal(1e-3, sample.Atol);
        var input = ReadTensor(opened.GetFilePath(sample.Inputs[0]));
        var expected = ReadTensor(opened.GetFilePath(sample.Outputs[0]));
        var actual = OnnxRunner.Run(opened.ModelPath, [input]).Single().Value;
        Assert.Equal(expected.Data.Length, actual.Length);
        var worst = expected.Data.Zip(actual, (e, a) => Math.Abs(a - e) - (sample.Atol + (sample.Rtol * Math.Abs(e)))).Max();
        Assert.True(worst <= 0, $"Golden output exceeds its tolerance by {worst}.");
    }

    private static async Task<ModelPackage> PackVerifyOpenAsync(PackagingWorkspace workspace, string model, string name, params string[] extra)
    {
        var package = await workspace.PackAsync(model, name, extra);
        var (code, output, error) = await workspace.RunAsync("verify", package, "--trust", workspace.PublicKey, "--check-target");
        Assert.True(code == 0, $"verify failed with {code}: {error}");
        Assert.Contains($"verified {name} 1.0.0", output, StringComparison.Ordinal);
        var trust = await PackageTrust.FromPemFilesAsync([workspace.PublicKey]);
        return await ModelPackage.OpenAsync(package, trust, new PackageOpenOptions { ExtractionDirectory = workspace.PathOf(name + "-extracted"), Device = PackageDeviceDescription.Current });
    }

    private static void AssertSameOutputs(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
        {
            Assert.True(values.Length > 0, $"Output '{name}' is empty.");
            Assert.Equal(values, actual[name]);
        }
    }

    private static (float[] Data, int[] Shape) ReadTensor(string path)
    {
        var tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal((int)TensorProto.Types.DataType.Float, tensor.DataType);
        var data = tensor.RawData.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : tensor.FloatData.ToArray();
        return (data, tensor.Dims.Select(d => (int)d).ToArray());
    }
}
