using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Tests.Calibration;

public sealed class ChannelRangesTests
{
    [Fact]
    public void Add_TwoSamplesOfTwoChannels_KeepsEachChannelsMinAndMax()
    {
        var ranges = new ChannelRanges(2);

        // N=2, C=2, H*W=3: sample 0 channel 0, sample 0 channel 1, sample 1 channel 0, sample 1 channel 1
        ranges.Add([1f, 2f, 3f, -1f, 0f, 0.5f, 4f, -2f, 0f, 0f, 0.25f, 0.75f], batch: 2, channels: 2, plane: 3);

        Assert.Equal([-2f, -1f], ranges.Min.ToArray());
        Assert.Equal([4f, 0.75f], ranges.Max.ToArray());
    }

    [Fact]
    public void LevelsAtQuantile_OneLoudChannel_QuietChannelsGetFewLevels()
    {
        var ranges = new ChannelRanges(4);
        ranges.Add([0f, 100f, 0f, 0.5f, 0f, 1f, 0f, 2f], batch: 1, channels: 4, plane: 2);
        var tensor = new TensorRange(0f, 100f);

        Assert.Equal(255 * 0.5 / 100, ranges.LevelsAtQuantile(tensor, 0), precision: 6);
        Assert.Equal(255 * 1.0 / 100, ranges.LevelsAtQuantile(tensor, 0.25), precision: 6);
        Assert.Equal(255 * 2.0 / 100, ranges.LevelsAtQuantile(tensor, 0.5), precision: 6);
        Assert.Equal(255, ranges.LevelsAtQuantile(tensor, 0.99), precision: 6);
    }

    [Fact]
    public void LevelsAtQuantile_ChannelWiderThanTensorRange_IsClippedToAllLevels()
    {
        var ranges = new ChannelRanges(1);
        ranges.Add([-50f, 50f], batch: 1, channels: 1, plane: 2);

        Assert.Equal(255, ranges.LevelsAtQuantile(new TensorRange(-10f, 10f), 0.5), precision: 6);
    }

    [Fact]
    public void LevelsAtQuantile_DeadChannels_AreLeftOut()
    {
        // two channels never vary (a dead ReLU channel is always 0): a coarse scale loses nothing there
        var ranges = new ChannelRanges(4);
        ranges.Add([0f, 0f, 3f, 3f, 0f, 100f, 0f, 50f], batch: 1, channels: 4, plane: 2);

        Assert.Equal(2, ranges.VaryingCount);
        Assert.Equal(255 * 50.0 / 100, ranges.LevelsAtQuantile(new TensorRange(0f, 100f), 0), precision: 6);
    }
}
