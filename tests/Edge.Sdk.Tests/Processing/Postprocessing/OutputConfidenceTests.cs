using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class OutputConfidenceTests
{
    [Theory]
    [InlineData(new long[] { 1, 1, 28, 28 }, new long[] { 1, 10 }, "classification")]
    [InlineData(new long[] { 1, 3, 224, 224 }, new long[] { 1, 1000, 1, 1 }, "classification")]
    [InlineData(new long[] { 1, 3, 416, 416 }, new long[] { 1, 3549, 85 }, "detection")]
    [InlineData(new long[] { 1, 3, 416, 416 }, new long[] { 1, 3548, 85 }, "raw")]
    [InlineData(new long[] { 1, 3, 64, 64 }, new long[] { 1, 3, 64, 64 }, "raw")]
    public void For_Dimensions_PicksTheTask(long[] input, long[] output, string task) =>
        Assert.Equal(task, OutputConfidence.For(input, output).Task);

    [Fact]
    public void Read_Probabilities_TakesTheTopOneAsItIs()
    {
        var confidence = OutputConfidence.For([1, 4], [1, 4]);

        Assert.Equal(0.7f, confidence.Read([0.1f, 0.7f, 0.15f, 0.05f]), 6);
    }

    [Fact]
    public void Read_Logits_TakesTheTopSoftmaxProbability_StableForLargeValues()
    {
        var confidence = OutputConfidence.For([1, 3], [1, 3]);

        var expected = 1 / (1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal(expected, confidence.Read([1f, 2f, 3f]), 6);
        Assert.Equal(expected, confidence.Read([2001f, 2002f, 2003f]), 6);
    }

    [Fact]
    public void Read_Yolox_TakesTheHighestBoxScore()
    {
        // 416 x 416: 52² + 26² + 13² = 3549 anchors of 5 + 2 values; two anchors score, 0.9 × 0.5 and 0.8 × 0.75.
        var output = new float[3549 * 7];
        output[(10 * 7) + 4] = 0.9f;
        output[(10 * 7) + 5] = 0.5f;
        output[(20 * 7) + 4] = 0.8f;
        output[(20 * 7) + 6] = 0.75f;
        var confidence = OutputConfidence.For([1, 3, 416, 416], [1, 3549, 7]);

        Assert.Equal(0.6, confidence.Read(output), 6);
        Assert.Equal(0, confidence.Read(new float[3549 * 7]));
    }

    [Fact]
    public void Read_Raw_IsNaN()
    {
        var confidence = OutputConfidence.For([1, 8], [1, 2, 4]);

        Assert.False(confidence.HasConfidence);
        Assert.True(double.IsNaN(confidence.Read([1f, 2f])));
    }
}
