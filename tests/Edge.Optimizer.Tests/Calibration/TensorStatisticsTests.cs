using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Tests.Calibration;

public sealed class TensorStatisticsTests
{
    [Fact]
    public void Add_BatchesWithGrowingRange_KeepsExactCountsAfterDoubling()
    {
        var statistics = new TensorStatistics("t", collectHistogram: true);
        statistics.Add([1f, -0.5f, 0.25f]);
        var limitBefore = statistics.HistogramLimit;
        statistics.Add([3.9f, -2f]);

        Assert.Equal(-2f, statistics.Min);
        Assert.Equal(3.9f, statistics.Max);
        Assert.Equal(5, statistics.Count);
        Assert.Equal(limitBefore * 4, statistics.HistogramLimit); // 1 -> 2 -> 4 covers 3.9
        Assert.Equal(5, statistics.Histogram.ToArray().Sum());
        var binOf = (float v) => (int)(Math.Abs(v) * TensorStatistics.BinCount / statistics.HistogramLimit);
        Assert.Equal(1, statistics.Histogram[binOf(3.9f)]);
        Assert.Equal(1, statistics.Histogram[binOf(-2f)]);
    }

    [Fact]
    public void Add_ManyBatches_MemoryStaysFixed()
    {
        var statistics = new TensorStatistics("t", collectHistogram: true);
        var random = new Random(7);
        var batch = new float[1000];
        for (var b = 0; b < 200; b++)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = (float)((random.NextDouble() - 0.5) * (b + 1));
            }

            statistics.Add(batch);
        }

        Assert.Equal(TensorStatistics.BinCount, statistics.Histogram.Length);
        Assert.Equal(200_000, statistics.Histogram.ToArray().Sum());
    }

    [Fact]
    public void Add_NaN_ThrowsNamingTensor()
    {
        var statistics = new TensorStatistics("conv1_out", collectHistogram: false);

        var error = Assert.Throws<InvalidDataException>(() => statistics.Add([1f, float.NaN]));

        Assert.Contains("conv1_out", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_RankFourValues_CollectsPerChannelRanges()
    {
        var statistics = new TensorStatistics("t", collectHistogram: false);
        statistics.Add([1f, 2f, -3f, 4f], [1, 2, 1, 2]);
        statistics.Add([0f, 9f, 0f, 0f], [1, 2, 2, 1]);

        Assert.NotNull(statistics.ChannelRanges);
        Assert.Equal([0f, -3f], statistics.ChannelRanges.Min.ToArray());
        Assert.Equal([9f, 4f], statistics.ChannelRanges.Max.ToArray());
        Assert.Equal(-3f, statistics.Min);
        Assert.Equal(9f, statistics.Max);
    }

    [Fact]
    public void Add_ChannelCountChangesBetweenBatches_DropsPerChannelRanges()
    {
        var statistics = new TensorStatistics("t", collectHistogram: false);
        statistics.Add([1f, 2f], [1, 2, 1, 1]);
        statistics.Add([1f, 2f, 3f], [1, 3, 1, 1]);
        statistics.Add([1f, 2f], [1, 2, 1, 1]);

        Assert.Null(statistics.ChannelRanges);
        Assert.Equal(7, statistics.Count);
    }

    [Fact]
    public void Add_RankTwoValues_CollectsNoPerChannelRanges()
    {
        var statistics = new TensorStatistics("t", collectHistogram: false);
        statistics.Add([1f, 2f, 3f, 4f], [2, 2]);

        Assert.Null(statistics.ChannelRanges);
    }
}
