using Edge.Optimizer.Evaluation;

namespace Edge.Optimizer.Tests.Evaluation;

public class AccumulatorTests
{
    [Fact]
    public void AccuracyAdd_CountsTop1AndTop5()
    {
        var accuracy = new AccuracyAccumulator();
        float[] scores = [0.1f, 0.9f, 0.3f, 0.2f, 0.5f, 0.4f, 0.0f];

        accuracy.Add(scores, 1); // rank 1
        accuracy.Add(scores, 3); // rank 5
        accuracy.Add(scores, 0); // rank 6
        accuracy.Add(scores, 42); // label outside the model's classes: a miss

        Assert.Equal(4, accuracy.Samples);
        Assert.Equal(1, accuracy.Top1Hits);
        Assert.Equal(2, accuracy.Top5Hits);
        Assert.Equal(0.25, accuracy.Top1);
    }

    [Fact]
    public void AccuracyAdd_TiedScores_LowerIndexRanksFirst()
    {
        var accuracy = new AccuracyAccumulator();

        accuracy.Add([1f, 1f], 1);
        accuracy.Add([1f, 1f], 0);

        Assert.Equal(1, accuracy.Top1Hits);
    }

    [Fact]
    public void AgreementAddSample_MeasuresAgreementAndErrors()
    {
        var agreement = new AgreementAccumulator();

        agreement.AddSample([0f, 1f, 0.5f], [0f, 0.9f, 0.5f]);
        agreement.AddSample([2f, 1f, 0f], [0f, 1f, 0f]);

        Assert.Equal(0.5, agreement.Top1Agreement);
        Assert.Equal(2.0, agreement.MaxAbsoluteError, 6);
        Assert.Equal((0.1 + 2.0) / 6, agreement.MeanAbsoluteError, 6);
    }

    [Fact]
    public void AgreementAddElements_NaNOnOneSide_IsInfiniteError()
    {
        var agreement = new AgreementAccumulator();

        agreement.AddSample([float.NaN, 1f], [0f, 1f]);

        Assert.True(double.IsPositiveInfinity(agreement.MaxAbsoluteError));
    }

    [Fact]
    public void AgreementAddElements_LengthMismatch_ThrowsNamingBothLengths()
    {
        var error = Assert.Throws<InvalidDataException>(() => new AgreementAccumulator().AddSample([1f], [1f, 2f]));

        Assert.Contains("1 elements but the reference gives 2", error.Message, StringComparison.Ordinal);
    }
}
