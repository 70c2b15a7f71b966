using Edge.Agent.Ota.Health;

namespace Edge.Agent.Tests.Ota.Health;

/// <summary>The latency gate's rule: over the ratio and more than the noise floor slower, both needed.</summary>
public sealed class LatencyGateRuleTests
{
    [Theory]
    [InlineData(0.056, 0.040, 1.2, false)] // 1.4× but 16 µs: noise on a sub-millisecond model (seen in CI)
    [InlineData(0.150, 0.040, 1.2, true)] // 3.75× and 110 µs slower
    [InlineData(4.91, 1.62, 1.2, true)] // a really slower model
    [InlineData(1.90, 1.62, 1.2, false)] // 60 µs slower, but within the ratio
    [InlineData(1.62, 1.62, 1.0, false)] // equal never regresses
    public void Regressed_NeedsBothTheRatioAndMoreThanTheNoiseFloor(double candidate, double current, double ratio, bool expected) =>
        Assert.Equal(expected, LatencyComparison.Regressed(candidate, current, ratio));
}
