using Edge.Quickstart.Optimization;
using Edge.TestUtilities;

namespace Edge.Quickstart.Tests.Optimization;

public sealed class DataSplitTests
{
    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "")]
    [InlineData(false, "@1000:1400")]
    public void Create_MnistTestSet_RangesAreDisjointAndInsideTheData(bool fast, string range)
    {
        var options = new QuickstartOptions
        {
            ModelPath = TestData.File("models/mnist/mnist.onnx"),
            Data = $"mnist:{TestData.Directory("datasets/mnist")}{range}",
            OutputDirectory = Path.GetTempPath(),
            Fast = fast,
        };

        var split = DataSplit.Create(options);

        var first = range.Length == 0 ? 0 : 1000;
        var last = range.Length == 0 ? 10_000 : 1400;
        var (training, calibration, evaluation, app) = (split.TrainingRange, split.CalibrationRange, split.EvaluationRange, split.AppRange);
        Assert.Equal(first, training.From);
        Assert.Equal(training.From, calibration.From);
        Assert.True(calibration.To <= training.To);
        Assert.True(training.To <= evaluation.From, $"training {training} overlaps evaluation {evaluation}");
        Assert.Equal(evaluation.To, app.From);
        Assert.Equal(last, app.To);
        Assert.True(evaluation.To > evaluation.From && app.To > app.From && calibration.To > calibration.From);
    }
}
