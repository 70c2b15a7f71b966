namespace Edge.Packaging.Tests;

public sealed class DriftStatisticsTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(127.5, 6000.0)]
    [InlineData(-3.0, 0.0)]
    public void GaussianKl_IdenticalMoments_IsZero(double mean, double variance) =>
        Assert.Equal(0, DriftStatistics.GaussianKl(mean, variance, mean, variance), 12);

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void GaussianKl_MeanShiftOfKStandardDeviations_IsHalfKSquared(double k)
    {
        const double sigma = 4.0;
        Assert.Equal(k * k / 2, DriftStatistics.GaussianKl(10 + (k * sigma), sigma * sigma, 10, sigma * sigma), 12);
    }

    [Fact]
    public void GaussianKl_VarianceChange_MatchesClosedForm()
    {
        // KL(N(0, 4) || N(0, 1)) = ln(1/2) + 4/2 - 1/2.
        Assert.Equal(Math.Log(0.5) + 1.5, DriftStatistics.GaussianKl(0, 4, 0, 1), 12);
    }

    [Fact]
    public void GaussianKl_ConstantReferenceChannel_IsFiniteThroughTheFloor()
    {
        var distance = DriftStatistics.GaussianKl(1, 0, 0, 0);

        Assert.Equal(1 / (2 * DriftStatistics.VarianceFloor), distance, 6);
    }

    [Fact]
    public void PopulationStabilityIndex_IdenticalHistograms_IsZero()
    {
        double[] histogram = [0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2];

        Assert.Equal(0, DriftStatistics.PopulationStabilityIndex(histogram, histogram), 12);
    }

    [Fact]
    public void PopulationStabilityIndex_KnownShift_MatchesTheSum()
    {
        double[] reference = [0.5, 0.5];
        double[] window = [0.2, 0.8];

        var expected = ((0.2 - 0.5) * Math.Log(0.2 / 0.5)) + ((0.8 - 0.5) * Math.Log(0.8 / 0.5));
        Assert.Equal(expected, DriftStatistics.PopulationStabilityIndex(window, reference), 12);
    }

    [Fact]
    public void PopulationStabilityIndex_EmptyBin_UsesEpsilon()
    {
        double[] reference = [1, 0];
        double[] window = [0, 1];

        var e = DriftStatistics.PsiEpsilon;
        var expected = 2 * (1 - e) * Math.Log((1 - 0) / e);
        Assert.Equal(expected, DriftStatistics.PopulationStabilityIndex(window, reference), 6);
    }

    [Fact]
    public void PopulationStabilityIndex_DifferentLengths_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => DriftStatistics.PopulationStabilityIndex([1.0], [0.5, 0.5]));

        Assert.Contains("1 bins but the reference has 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.099, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.95, 9)]
    [InlineData(1.0, 9)]
    [InlineData(-0.5, 0)]
    [InlineData(7.0, 9)]
    [InlineData(double.NaN, -1)]
    public void ConfidenceBin_Value_FallsInItsTenthOfTheUnitInterval(double confidence, int bin) =>
        Assert.Equal(bin, DriftStatistics.ConfidenceBin(confidence));

    [Fact]
    public void AddChannelMoments_Nchw_SumsEachChannelOverBatchAndPlane()
    {
        // Two samples, two channels, two values per channel.
        float[] values = [1, 2, 10, 20, 3, 4, 30, 40];
        var sums = new double[2];
        var squares = new double[2];

        var count = DriftStatistics.AddChannelMoments(values, [2, 2, 2], sums, squares);

        Assert.Equal(4, count);
        Assert.Equal([10.0, 100.0], sums);
        Assert.Equal([1.0 + 4 + 9 + 16, 100.0 + 400 + 900 + 1600], squares);
        Assert.Equal(1.25, DriftStatistics.Variance(sums[0], squares[0], count), 12);
    }

    [Theory]
    [InlineData(new long[] { 1, 3, 224, 224 }, 3)]
    [InlineData(new long[] { 1, 784 }, 784)]
    [InlineData(new long[] { 1, 5000 }, 1)]
    [InlineData(new long[] { 784 }, 1)]
    [InlineData(new long[] { 1, -1, 28 }, 1)]
    public void ChannelCount_Shape_IsAxisOneWhenSmallEnough(long[] shape, int channels) =>
        Assert.Equal(channels, DriftStatistics.ChannelCount(shape));

    [Fact]
    public void AddChannelMoments_ShapeThatDoesNotHoldTheValues_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => DriftStatistics.AddChannelMoments(new float[5], [1, 1, 2, 2], new double[1], new double[1]));

        Assert.Contains("holds 4 values, but 5 were given", error.Message, StringComparison.Ordinal);
    }
}
