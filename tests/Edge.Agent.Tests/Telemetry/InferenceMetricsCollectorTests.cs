using System.Diagnostics.Metrics;
using Edge.Agent.Telemetry;

namespace Edge.Agent.Tests.Telemetry;

public sealed class InferenceMetricsCollectorTests
{
    [Fact]
    public void Collect_SdkMeasurements_GivesCallsErrorsAndPercentilesPerModelVersionProvider()
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        using var collector = new InferenceMetricsCollector();
        using var meter = new Meter(SdkInstrumentNames.MeterName);
        var duration = meter.CreateHistogram<double>(SdkInstrumentNames.InferenceDuration);
        var calls = meter.CreateCounter<long>(SdkInstrumentNames.InferenceCalls);
        var errors = meter.CreateCounter<long>(SdkInstrumentNames.InferenceErrors);
        var queue = meter.CreateUpDownCounter<long>(SdkInstrumentNames.InferenceQueueLength);
        var v1 = Tags(model, "1", "cpu");
        var v2 = Tags(model, "2", "cuda");
        for (var i = 1; i <= 200; i++)
        {
            duration.Record(i / 2.0, v1);
            calls.Add(1, v1);
        }

        duration.Record(7, v2);
        calls.Add(1, v2);
        errors.Add(3, v2);
        queue.Add(5, v2);
        queue.Add(-2, v2);

        var figures = collector.Collect().Where(f => f.Model == model).ToDictionary(f => f.Version);

        Assert.Equal(200, figures["1"].Calls);
        Assert.Equal("cpu", figures["1"].Provider);
        Assert.Equal(50.0, figures["1"].P50Ms);
        Assert.Equal(95.0, figures["1"].P95Ms);
        Assert.Equal(99.0, figures["1"].P99Ms);
        Assert.Equal(3, figures["2"].Errors);
        Assert.Equal(3, figures["2"].QueueLength);
        Assert.Equal(7.0, figures["2"].P99Ms);
    }

    [Fact]
    public void Collect_DurationsInSeconds_ReportedInMilliseconds()
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        using var collector = new InferenceMetricsCollector();
        using var meter = new Meter(SdkInstrumentNames.MeterName);
        var duration = meter.CreateHistogram<double>(SdkInstrumentNames.InferenceDuration, SdkInstrumentNames.SecondsUnit);
        var tags = Tags(model, "1", "cpu");
        duration.Record(0.0025, tags);
        duration.Record(0.004, tags);

        var figures = Assert.Single(collector.Collect(), f => f.Model == model);

        Assert.Equal(2.5, figures.P50Ms!.Value, precision: 9);
        Assert.Equal(4.0, figures.P99Ms!.Value, precision: 9);
    }

    [Fact]
    public void Collect_NextInterval_StartsFromZeroButKeepsQueueLength()
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        using var collector = new InferenceMetricsCollector();
        using var meter = new Meter(SdkInstrumentNames.MeterName);
        var duration = meter.CreateHistogram<double>(SdkInstrumentNames.InferenceDuration);
        var calls = meter.CreateCounter<long>(SdkInstrumentNames.InferenceCalls);
        var queue = meter.CreateUpDownCounter<long>(SdkInstrumentNames.InferenceQueueLength);
        var tags = Tags(model, "1", "cpu");
        duration.Record(100, tags);
        calls.Add(1, tags);
        queue.Add(4, tags);
        collector.Collect();

        duration.Record(2, tags);
        var second = collector.Collect().Single(f => f.Model == model);

        Assert.Equal(0, second.Calls);
        Assert.Equal(2.0, second.P50Ms);
        Assert.Equal(4, second.QueueLength);
    }

    [Fact]
    public void Collect_MoreSamplesThanReservoir_KeepsPercentilesClose()
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        using var collector = new InferenceMetricsCollector();
        using var meter = new Meter(SdkInstrumentNames.MeterName);
        var duration = meter.CreateHistogram<double>(SdkInstrumentNames.InferenceDuration);
        var tags = Tags(model, "1", "cpu");
        for (var i = 0; i < 100_000; i++)
        {
            duration.Record(i % 1000, tags);
        }

        var figures = collector.Collect().Single(f => f.Model == model);

        Assert.InRange(figures.P50Ms!.Value, 450, 550);
        Assert.InRange(figures.P99Ms!.Value, 975, 999);
    }

    [Fact]
    public void Collect_OtherMeter_IsIgnored()
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        using var collector = new InferenceMetricsCollector();
        using var meter = new Meter("Some.Other.Meter");
        meter.CreateCounter<long>(SdkInstrumentNames.InferenceCalls).Add(1, Tags(model, "1", "cpu"));

        Assert.DoesNotContain(collector.Collect(), f => f.Model == model);
    }

    private static KeyValuePair<string, object?>[] Tags(string model, string version, string provider) =>
    [
        new(SdkInstrumentNames.ModelNameTag, model),
        new(SdkInstrumentNames.ModelVersionTag, version),
        new(SdkInstrumentNames.ProviderTag, provider),
    ];
}
