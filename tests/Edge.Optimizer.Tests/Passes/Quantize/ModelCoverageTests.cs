using Edge.Optimizer.Passes.Quantize;
using Edge.TestUtilities;
using static Edge.Optimizer.Tests.Passes.Quantize.QuantizeTestKit;

namespace Edge.Optimizer.Tests.Passes.Quantize;

/// <summary>Every UltraFace model and every classifiers/light model quantizes statically to a valid model that runs.</summary>
public sealed class ModelCoverageTests
{
    [Theory]
    [InlineData("models/detectors/ultraface/version-RFB-320.onnx", 240, 320)]
    [InlineData("models/detectors/ultraface/version-RFB-320_simplified.onnx", 240, 320)]
    [InlineData("models/detectors/ultraface/version-slim-320.onnx", 240, 320)]
    [InlineData("models/detectors/ultraface/version-RFB-640.onnx", 480, 640)]
    [InlineData("models/classifiers/light/light_squeezenet.onnx", 224, 224)]
    [InlineData("models/classifiers/light/light_shufflenet.onnx", 224, 224)]
    [InlineData("models/classifiers/light/light_inception_v1.onnx", 224, 224)]
    [InlineData("models/classifiers/light/light_inception_v2.onnx", 224, 224)]
    [InlineData("models/classifiers/light/light_densenet121.onnx", 224, 224)]
    public Task RunAsync_Model_QuantizesToValidRunnableModel(string model, int height, int width) => QuantizeAndRunAsync(model, height, width);

    /// <summary>The three with hundreds of megabytes of constant-folded fully connected weights.</summary>
    [Theory]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    [InlineData("models/classifiers/light/light_resnet50.onnx")]
    [InlineData("models/classifiers/light/light_bvlc_alexnet.onnx")]
    [InlineData("models/classifiers/light/light_zfnet512.onnx")]
    [InlineData("models/classifiers/light/light_vgg19.onnx")]
    public Task RunAsync_LargeLightModel_QuantizesToValidRunnableModel(string model) => QuantizeAndRunAsync(model, 224, 224);

    private static async Task QuantizeAndRunAsync(string model, int height, int width)
    {
        using var folder = new TemporaryFolder();
        long[] shape = [1, 3, height, width];
        var calibration = WriteNpy(Path.Combine(folder.Path, "calibration.npy"), RandomFloats(3 * height * width, seed: 5, -1, 1), shape);
        var options = Fast(new QuantizeOptions { Calibration = $"npy:{calibration}", AnalyzeLayers = false });

        var result = await RunAsync(TestData.File(model), options);
        var path = Save(result, folder);

        Assert.Empty(result.Model.Validate());
        Assert.True((bool)result.Report["changed"]!, $"{model}: nothing was quantized");
        Assert.True((int)result.Report["quantization"]!["quantized_nodes"]! > 0);
        var outputs = Run(path, (RandomFloats(3 * height * width, seed: 9, -1, 1), [1, 3, height, width]));
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.All(o, v => Assert.True(float.IsFinite(v))));
    }
}
