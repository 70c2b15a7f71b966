using Edge.Agent.Mqtt;

namespace Edge.Agent.Tests.Mqtt;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void DelayFor_Attempts_DoubleWithJitterUpToMaximum()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(42));

        for (var attempt = 0; attempt < 12; attempt++)
        {
            var ceiling = Math.Min(Math.Pow(2, attempt), 30);
            for (var sample = 0; sample < 50; sample++)
            {
                Assert.InRange(backoff.DelayFor(attempt).TotalSeconds, ceiling / 2, ceiling);
            }
        }
    }

    [Fact]
    public void DelayFor_ManySamples_AreSpreadOut()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7));

        var delays = Enumerable.Range(0, 100).Select(_ => backoff.DelayFor(3).TotalMilliseconds).ToArray();

        Assert.True(delays.Max() - delays.Min() > 2000, $"Jitter too narrow: {delays.Min()}..{delays.Max()} ms.");
    }

    [Fact]
    public void Constructor_MaximumBelowMinimum_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), new Random(1)));
}
