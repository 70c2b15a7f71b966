using Edge.Fleet.Deployments;

namespace Edge.Fleet.Tests.Deployments;

public class WavePlanTests
{
    [Theory]
    [InlineData(500, new[] { 1, 50, 250, 500 })]
    [InlineData(20, new[] { 1, 2, 10, 20 })]
    [InlineData(3, new[] { 1, 2, 3 })]
    [InlineData(1, new[] { 1 })]
    public void CumulativeSizes_DefaultWaves_RoundUpAndDropEmptyWaves(int total, int[] expected) =>
        Assert.Equal(expected, WavePlan.Parse("1,10%,50%,100%").CumulativeSizes(total));

    [Fact]
    public void Parse_BadEntries_ListsEveryProblem()
    {
        var error = Assert.Throws<FormatException>(() => WavePlan.Parse("0,abc,150%,50%"));

        Assert.Contains("'0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'abc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'150%'", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 100%", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CumulativeSizes_Decreasing_Throws() =>
        Assert.Throws<FormatException>(() => WavePlan.Parse("50%,10,100%").CumulativeSizes(100));

    [Fact]
    public void Window_AcrossMidnight_ContainsLateAndEarlyHoursOnly()
    {
        var window = RolloutWindow.Parse("22:00-06:00");
        var day = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

        Assert.True(window.Contains(day.AddHours(23)));
        Assert.True(window.Contains(day.AddHours(5.5)));
        Assert.False(window.Contains(day.AddHours(12)));
        Assert.Equal(day.AddHours(22), window.NextOpening(day.AddHours(12)));
    }
}
