using Edge.Optimizer.Passes.Quantize;
using Edge.TestUtilities;
using Xunit.Abstractions;
using static Edge.Optimizer.Tests.Passes.Quantize.QuantizeTestKit;
using CalibrationMethod = Edge.Optimizer.Calibration.CalibrationMethod;

namespace Edge.Optimizer.Tests.Passes.Quantize.AccuracyRecovery;

public sealed class AccuracySearchTests
{
    private readonly ITestOutputHelper _output;

    public AccuracySearchTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    public async Task RunAsync_UnreachableTarget_SavesBestModelWithExplanation()
    {
        using var folder = new TemporaryFolder();
        var spec = folder.WriteText("spec.json", SqueezeNetSpec);
        var options = Fast(new QuantizeOptions
        {
            Calibration = Images(0, 20),
            Preprocess = spec,
            Eval = Images(100, 140),
            Method = CalibrationMethod.Entropy, // measured to lose many points on this Caffe model, so layers must go back
            MaxAccuracyDrop = 0,
        });

        var result = await RunAsync(TestData.File(SqueezeNet), options);

        var search = result.Report["search"]!;
        _output.WriteLine(search.ToJsonString());
        var steps = search["steps"]!.AsArray();
        Assert.True(steps.Count >= 2, "the search should have tried putting layers back to float");
        var best = steps.Min(s => (double)s!["drop_points"]!);
        Assert.Equal(best, (double)result.Report["accuracy"]!["drop_points"]!, 3);
        Assert.False(string.IsNullOrWhiteSpace((string?)search["explanation"]));
        if (!(bool)search["met"]!)
        {
            Assert.Contains(result.Warnings, w => w.Contains("not met", StringComparison.Ordinal));
        }

        Assert.Empty(result.Model.Validate());
    }

    [Fact]
    public void Validate_MaxDropWithoutEval_IsRefused()
    {
        var errors = new QuantizeOptions { Calibration = "mnist:x", MaxAccuracyDrop = 1 }.Validate();

        Assert.Contains(errors, e => e.Contains("--eval", StringComparison.Ordinal));
    }
}
