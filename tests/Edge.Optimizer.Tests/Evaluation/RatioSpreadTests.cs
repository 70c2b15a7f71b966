using Edge.Optimizer.Evaluation;

namespace Edge.Optimizer.Tests.Evaluation;

public sealed class RatioSpreadTests
{
    [Fact]
    public void SteadySeries_IsNotNoisy()
    {
        var a = Series(100, part => 2.0);
        var b = Series(100, part => 1.0);

        var spread = RatioSpread.From(a, b)!;

        Assert.Equal(5, spread.Parts);
        Assert.Equal(2.0, spread.Ratio, 9);
        Assert.Equal(2.0, spread.Min, 9);
        Assert.Equal(2.0, spread.Max, 9);
        Assert.False(spread.Noisy);
    }

    [Fact]
    public void OnePartSlowedForOneModelOnly_IsNoisy()
    {
        // The fourth fifth of the run saw A at 1.5x (another program woke up between A's runs): ratios 1,1,1,1.5,1.
        var a = Series(100, part => part == 3 ? 1.5 : 1.0);
        var b = Series(100, part => 1.0);

        var spread = RatioSpread.From(a, b)!;

        Assert.Equal(1.0, spread.Min, 9);
        Assert.Equal(1.5, spread.Max, 9);
        Assert.True(spread.Noisy);
    }

    [Fact]
    public void BothSlowedTogether_KeepsTheRatioAndIsNotNoisy()
    {
        var a = Series(100, part => part == 3 ? 3.0 : 2.0);
        var b = Series(100, part => part == 3 ? 1.5 : 1.0);

        Assert.False(RatioSpread.From(a, b)!.Noisy);
    }

    [Theory]
    [InlineData(19, null)]
    [InlineData(20, 2)]
    [InlineData(49, 4)]
    [InlineData(1000, 5)]
    public void Parts_HoldAtLeastTenRunsEach(int runs, int? parts)
    {
        Assert.Equal(parts, RatioSpread.From(Series(runs, _ => 1), Series(runs, _ => 1))?.Parts);
    }

    /// <summary>Runs cut into fifths; each run's value is the fifth's level with a small deterministic wobble.</summary>
    private static double[] Series(int runs, Func<int, double> level) =>
        [.. Enumerable.Range(0, runs).Select(i => level(i * 5 / runs) * (1 + ((i % 3) - 1) * 1e-4))];
}
