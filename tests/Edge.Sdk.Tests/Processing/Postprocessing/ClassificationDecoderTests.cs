using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

public sealed class ClassificationDecoderTests
{
    [Fact]
    public void TopK_UnsortedScores_ReturnsHighestFirstWithLabels()
    {
        float[] scores = [0.1f, 0.7f, 0.05f, 0.9f, 0.7f, 0.3f];
        string[] labels = ["a", "b", "c", "d", "e", "f"];

        var top = ClassificationDecoder.TopK(scores, 3, labels);

        Assert.Equal([new Classification(3, "d", 0.9f), new Classification(1, "b", 0.7f), new Classification(4, "e", 0.7f)], top);
    }

    [Fact]
    public void TopK_KLargerThanScores_ReturnsAll()
    {
        var top = ClassificationDecoder.TopK([2f, 1f], 5);
        Assert.Equal([0, 1], top.Select(c => c.ClassIndex));
        Assert.Null(top[0].Label);
    }

    [Fact]
    public void TopK_TooFewLabels_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationDecoder.TopK([1f, 2f, 3f], 1, ["x"]));
        Assert.Contains("1 labels for 3 scores", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Softmax_Logits_SumToOneAndKeepOrder()
    {
        float[] logits = [1f, 2f, 3f];
        var probabilities = new float[3];

        ClassificationDecoder.Softmax(logits, probabilities);

        Assert.Equal(1f, probabilities.Sum(), 5);
        Assert.Equal(MathF.Exp(3) / (MathF.Exp(1) + MathF.Exp(2) + MathF.Exp(3)), probabilities[2], 5);
    }
}
