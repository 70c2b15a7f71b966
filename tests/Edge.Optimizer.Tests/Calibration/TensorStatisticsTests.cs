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
}
