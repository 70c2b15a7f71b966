using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Tests.Calibration;

public sealed class RangeEstimatorTests
{
    private static TensorStatistics GaussianWithOutlier()
    {
        var statistics = new TensorStatistics("t", collectHistogram: true);
        var random = new Random(3);
        var values = new float[100_000];
        for (var i = 0; i < values.Length; i++)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        values[0] = 50f; // one outlier far outside the bulk
        statistics.Add(values);
        return statistics;
    }

    [Fact]
    public void Estimate_MinMax_KeepsOutlier()
    {
        var range = RangeEstimator.Estimate(GaussianWithOutlier(), CalibrationMethod.MinMax, 99.999);

        Assert.Equal(50f, range.Max);
    }

    [Fact]
    public void Estimate_Percentile_ClipsOutlierButKeepsBulk()
    {
        var range = RangeEstimator.Estimate(GaussianWithOutlier(), CalibrationMethod.Percentile, 99.9);

        Assert.InRange(range.Max, 3f, 4.5f); // |x| 99.9th percentile of a unit normal is 3.29
        Assert.InRange(range.Min, -4.5f, -3f);
    }

    [Fact]
    public void Estimate_Entropy_ClipsOutlierAndCoversThreeSigma()
    {
        var range = RangeEstimator.Estimate(GaussianWithOutlier(), CalibrationMethod.Entropy, 99.999);

        Assert.InRange(range.Max, 2.5f, 25f);
        Assert.True(range.Max < 50f);
    }

    [Fact]
    public void Estimate_AllZero_ReturnsZeroRange()
    {
        var statistics = new TensorStatistics("z", collectHistogram: true);
        statistics.Add(new float[16]);

        var range = RangeEstimator.Estimate(statistics, CalibrationMethod.Entropy, 99.999);

        Assert.Equal(new TensorRange(0, 0), range);
    }
}
