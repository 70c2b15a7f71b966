using System.Globalization;
using Edge.Onnx;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Pipeline;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class PrunePassCalibrationTests
{
    private const string SqueezeNetSpec = """{"width":224,"height":224,"resize":"shorterSideCrop","shorterSide":256,"interpolation":"bilinear","colorOrder":"bgr","mean":[104,117,123]}""";

    private readonly ITestOutputHelper _output;

    public PrunePassCalibrationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>
    /// SqueezeNet has no slack: 5% of channels by filter L1 norm leaves 1.5% top-1 before retraining (measured). Ranked
    /// by what each channel's variance costs the layers that read it, with its mean kept in their biases, the same cut
    /// keeps 41.5% (of 56.75%). The floor of 30% fails if either part stops working.
    /// </summary>
    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_SqueezeNetActivationCriterionWithCompensation_KeepsMostAccuracyBeforeRecovery()
    {
        using var folder = new TemporaryFolder();
        var spec = folder.WriteText("spec.json", SqueezeNetSpec);
        var images = TestData.Directory("datasets/imagenet-sample-500");
        var model = await OnnxModel.LoadAsync(TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"));
        var options = new PruneOptions
        {
            Method = PruneMethod.Channel,
            Sparsity = 0.05,
            Scope = PruneScope.Global,
            ChannelMultiple = 1,
            Criterion = PruneCriterion.Activation,
            CalibrationDataset = $"images:{images}@0:32",
            EvalDataset = $"images:{images}@100:500",
            PreprocessPath = spec,
            MeasureLatency = false,
        };

        var result = await new PrunePass().RunAsync(model, options, PassContext.Silent, CancellationToken.None);

        var accuracy = result.Report["accuracy"]!;
        var before = (double)accuracy["original_top1"]!;
        var after = (double)accuracy["pruned_top1"]!;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top-1 {before:P2} -> {after:P2} before recovery"));
        Assert.InRange(after, 0.30, before + 0.02);
        var compensated = result.Report["bias_compensation"]!["layers"]!.AsArray();
        Assert.True(compensated.Count >= 10, $"only {compensated.Count} layers took the removed channels' means");
    }
}
