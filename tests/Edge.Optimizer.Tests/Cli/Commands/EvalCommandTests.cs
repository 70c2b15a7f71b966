using System.Text.Json.Nodes;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class EvalCommandTests : IDisposable
{
    private const string SqueezeNetSpec =
        """{ "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "interpolation": "bilinear", "colorOrder": "bgr", "mean": [104, 117, 123] }""";

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    private static string SqueezeNet => TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx");

    [Fact]
    public async Task Eval_MnistOnAll10000Digits_ReachesAtLeast98Point5Percent()
    {
        var (code, output, error) = await CliRunner.RunAsync("eval", Mnist, "--data", $"mnist:{TestData.Directory("datasets/mnist")}", "--json");

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("edge.eval/v1", (string?)json["schema"]);
        Assert.Equal(10_000, (int)json["samples"]!);
        Assert.True((double)json["top1"]! >= 0.985, $"MNIST top-1 was {(double)json["top1"]!:P2}; expected at least 98.5%.");
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task Eval_SqueezeNetOnImagenetSample_ReachesAtLeast55PercentTop1()
    {
        var spec = _folder.WriteText("squeezenet.json", SqueezeNetSpec);

        var (code, output, error) = await CliRunner.RunAsync(
            "eval", SqueezeNet, "--data", $"images:{TestData.Directory("datasets/imagenet-sample-500")}", "--preprocess", spec, "--json");

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(500, (int)json["samples"]!);
        Assert.True((double)json["top1"]! >= 0.55, $"SqueezeNet top-1 was {(double)json["top1"]!:P1}; expected at least 55% (independent figure 60.0%).");
    }

    [Fact]
    public async Task Eval_WithReference_ReportsAgreementAndErrors()
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "eval", Mnist, "--data", $"mnist:{TestData.Directory("datasets/mnist")}@0:200",
            "--reference", TestData.File("models/mnist/mnist_opset15.onnx"), "--json");

        Assert.True(code == 0, error);
        var reference = JsonNode.Parse(output)!["reference"]!;
        Assert.Equal("mnist_opset15.onnx", (string?)reference["name"]);
        Assert.Equal(1.0, (double)reference["top1_agreement"]!);
        Assert.True((double)reference["max_abs_error"]! < 1e-4);
    }

    [Fact]
    public async Task Eval_TestDataWithStoredOutputs_ComparesAgainstThem()
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "eval", SqueezeNet, "--data", $"testdata:{TestData.Directory("models/classifiers/squeezenet1.0")}", "--json");

        Assert.True(code == 0, error);
        var reference = JsonNode.Parse(output)!["reference"]!;
        Assert.Equal("stored outputs", (string?)reference["name"]);
        Assert.Equal(1.0, (double)reference["top1_agreement"]!);
        Assert.True((double)reference["max_abs_error"]! < 1e-3, $"max abs error {(double)reference["max_abs_error"]!}");
    }

    [Fact]
    public async Task Eval_FolderWhereAFileBelongs_SaysItIsAFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, "not-a-model.onnx")).FullName;
        var mnistData = $"mnist:{TestData.Directory("datasets/mnist")}@0:10";

        var asModel = await CliRunner.RunAsync("eval", folder, "--data", mnistData);
        var asReference = await CliRunner.RunAsync("eval", Mnist, "--data", mnistData, "--reference", folder);
        var fileAsDataset = await CliRunner.RunAsync("eval", Mnist, "--data", $"mnist:{Mnist}");

        Assert.Equal(2, asModel.ExitCode);
        Assert.Contains($"Model '{folder}' is a folder, not a file.", asModel.Error, StringComparison.Ordinal);
        Assert.Equal(2, asReference.ExitCode);
        Assert.Contains($"Reference model '{folder}' is a folder, not a file.", asReference.Error, StringComparison.Ordinal);
        Assert.Equal(2, fileAsDataset.ExitCode);
        Assert.Contains($"MNIST folder '{Mnist}' is a file, not a folder;", fileAsDataset.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_ImagesWithoutPreprocessSpec_ExitsTwoAskingForSpec()
    {
        var (code, _, error) = await CliRunner.RunAsync("eval", SqueezeNet, "--data", $"images:{TestData.Directory("datasets/imagenet-sample-500")}@0:2");

        Assert.Equal(2, code);
        Assert.Contains("--preprocess", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Eval_SpecThatDoesNotFitModel_ExitsTwoNamingShapes()
    {
        var spec = _folder.WriteText("squeezenet.json", SqueezeNetSpec);

        var (code, _, error) = await CliRunner.RunAsync("eval", Mnist, "--data", $"images:{TestData.Directory("datasets/imagenet-sample-500")}@0:2", "--preprocess", spec);

        Assert.Equal(2, code);
        Assert.Contains("preprocess produces 1x3x224x224 NCHW but input 'Input3' expects 1x1x28x28", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_UnreadableImage_ExitsTwoNamingTheFile()
    {
        var images = Path.Combine(_folder.Path, "images");
        Directory.CreateDirectory(Path.Combine(images, "cat"));
        File.WriteAllText(Path.Combine(images, "cat", "broken.jpg"), "this is not a JPEG");
        var spec = _folder.WriteText("squeezenet.json", SqueezeNetSpec);

        var (code, _, error) = await CliRunner.RunAsync("eval", SqueezeNet, "--data", $"images:{images}", "--preprocess", spec);

        Assert.Equal(2, code);
        Assert.Contains("broken.jpg", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_EmptyRange_ExitsTwoSayingNoSamples()
    {
        var (code, _, error) = await CliRunner.RunAsync("eval", Mnist, "--data", $"mnist:{TestData.Directory("datasets/mnist")}@10:10");

        Assert.Equal(2, code);
        Assert.Contains("holds no samples", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_TensorOfWrongShape_ExitsTwoNamingInputAndShapes()
    {
        var (code, _, error) = await CliRunner.RunAsync(
            "eval", SqueezeNet, "--data", $"mnist:{TestData.Directory("datasets/mnist")}@0:1");

        Assert.Equal(2, code);
        Assert.Contains("input 'data_0' has shape 1x1x28x28; the model expects 1x3x224x224", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_PackageWithoutTrust_ExitsTwoAskingForTrust()
    {
        var package = _folder.WriteText("model.edgepkg", "not really a package");

        var (code, _, error) = await CliRunner.RunAsync("eval", package, "--data", $"mnist:{TestData.Directory("datasets/mnist")}@0:1");

        Assert.Equal(2, code);
        Assert.Contains("--trust", error, StringComparison.Ordinal);
    }
}
