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
    public void Estimate_MseOnALaplaceTail_ClipsALittleAndMeasuresBetterThanTheRangesAroundIt()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 50_000).Select(_ => (float)(-Math.Log(1 - random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1))).ToArray();
        var statistics = new TensorStatistics("laplace", collectHistogram: true);
        statistics.Add(values);
        var largest = Math.Max(-statistics.Min, statistics.Max);

        var chosen = RangeEstimator.Estimate(statistics, CalibrationMethod.Mse, 99.999);
        var error = SquaredError(values, chosen);

        // With 256 levels rounding is cheap, so only the sparse end of the tail is worth clipping (about a tenth here).
        var end = Math.Max(-chosen.Min, chosen.Max);
        Assert.InRange(end, 0.75f * largest, 0.98f * largest);
        Assert.True(error < SquaredError(values, new TensorRange(statistics.Min, statistics.Max)), "MinMax measures better than the chosen range");
        foreach (var factor in new[] { 0.6f, 0.8f, 1.1f })
        {
            var other = Math.Min(largest, end * factor);
            var otherError = SquaredError(values, new TensorRange(Math.Max(statistics.Min, -other), Math.Min(statistics.Max, other)));
            Assert.True(error <= otherError * 1.01, $"clipping at {other} measures {otherError}, better than the chosen {end}: {error}");
        }
    }

    [Fact]
    public void Estimate_MseOnUniformValues_KeepsNearlyTheWholeRange()
    {
        var statistics = new TensorStatistics("u", collectHistogram: true);
        var random = new Random(5);
        statistics.Add([.. Enumerable.Range(0, 50_000).Select(_ => (float)random.NextDouble() * 6f)]);

        var range = RangeEstimator.Estimate(statistics, CalibrationMethod.Mse, 99.999);

        Assert.InRange(range.Max, 5.8f, 6f); // nothing is rare enough to be worth clipping
        Assert.True(range.Min >= 0);
    }

    [Fact]
    public void Estimate_AllZero_ReturnsZeroRange()
    {
        var statistics = new TensorStatistics("z", collectHistogram: true);
        statistics.Add(new float[16]);

        var range = RangeEstimator.Estimate(statistics, CalibrationMethod.Entropy, 99.999);

        Assert.Equal(new TensorRange(0, 0), range);
    }

    /// <summary>Mean squared error of <paramref name="values"/> after uint8 quantization over <paramref name="range"/>.</summary>
    private static double SquaredError(float[] values, TensorRange range)
    {
        var low = range.Min;
        var scale = (range.Max - low) / 255.0;
        var zeroPoint = Math.Round(-low / scale);
        return values.Average(x =>
        {
            var q = Math.Clamp(Math.Round(x / scale) + zeroPoint, 0, 255);
            var back = (q - zeroPoint) * scale;
            return (x - back) * (x - back);
        });
    }
}
