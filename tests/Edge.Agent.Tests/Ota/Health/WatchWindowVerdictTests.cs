using Edge.Agent.Ota.Health;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota.Health;

public sealed class WatchWindowVerdictTests
{
    private static readonly OtaHealthGate Gate = new() { MaxErrorRate = 0.01, MaxLiveLatencyRatio = 1.5, MinWatchCalls = 20 };

    [Fact]
    public void Breach_FewerCallsThanTheMinimum_JudgesNothingYet()
    {
        Assert.Null(WatchWindowVerdict.Breach(calls: 19, errors: 19, p95Ms: 100, baselineP95Ms: 1, Gate));
    }

    [Fact]
    public void Breach_ErrorRateAboveTheGate_NamesTheRateAndCounts()
    {
        var reason = WatchWindowVerdict.Breach(calls: 100, errors: 2, p95Ms: 1, baselineP95Ms: 1, Gate);

        Assert.NotNull(reason);
        Assert.Contains("live error rate 2.00 %", reason, StringComparison.Ordinal);
        Assert.Contains("(2 of 100 calls) > 1.00 %", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Breach_ErrorRateExactlyAtTheGate_Passes()
    {
        Assert.Null(WatchWindowVerdict.Breach(calls: 100, errors: 1, p95Ms: 1, baselineP95Ms: 1, Gate));
    }

    [Fact]
    public void Breach_LiveP95AboveRatioTimesPrevious_NamesBothFigures()
    {
        var reason = WatchWindowVerdict.Breach(calls: 50, errors: 0, p95Ms: 3.2, baselineP95Ms: 2.0, Gate);

        Assert.Equal("watch window: live p95 3.200 ms > 1.5 × previous p95 2.000 ms", reason);
    }

    [Fact]
    public void Breach_LiveP95WithinRatio_Passes()
    {
        Assert.Null(WatchWindowVerdict.Breach(calls: 50, errors: 0, p95Ms: 2.9, baselineP95Ms: 2.0, Gate));
    }

    [Fact]
    public void Breach_NoPreviousLiveP95_JudgesOnlyTheErrorRate()
    {
        Assert.Null(WatchWindowVerdict.Breach(calls: 50, errors: 0, p95Ms: 1000, baselineP95Ms: null, Gate));
    }
}
