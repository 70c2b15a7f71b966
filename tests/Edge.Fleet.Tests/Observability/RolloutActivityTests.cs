using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Edge.Fleet.Deployments;
using Edge.Fleet.Observability;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Observability;

/// <summary>The rollout engine's span and job counter, observed with an ActivityListener and a MeterListener on real rollouts (Mosquitto, simulated devices).</summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class RolloutActivityTests : IAsyncLifetime
{
    private const string Fleet = "f-otel";
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-otel-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_RolloutCompletes_OneSpanWithWaveEventsAndOneJobCountedPerDevice()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EdgeFleetActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        long published = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EdgeFleetMetrics.MeterName && instrument.Name == EdgeFleetMetrics.JobsPublished)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref published, value));
        meters.Start();
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 4, new SimulationSettings());
        await using var tool = await FleetToolHarness.StartAsync(_broker.Host, _broker.Port, Fleet, Path.Combine(_directory, "state.db"));
        var inventory = await tool.InventoryAsync(4);
        await tool.WaitForTelemetryAsync(8);
        var options = new DeploymentOptions { Waves = "1,100%", MaxConcurrent = 10, Soak = TimeSpan.FromSeconds(0.5), DeviceTimeout = TimeSpan.FromSeconds(20), MinKpiSamples = 3 };
        await DeploymentPlanner.CreateAsync(tool.Deployments, DeploymentPlanner.Plan("dep-span", "all", "2.0.0.edgepkg", "mnist", "2.0.0", options, inventory), CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await tool.Engine().RunAsync("dep-span", timeout.Token);

        Assert.Equal(RolloutStates.Completed, result.State);
        var span = Assert.Single(spans, s => Equals(s.GetTagItem(EdgeFleetActivities.DeploymentIdTag), "dep-span"));
        Assert.Equal(EdgeFleetActivities.Rollout, span.OperationName);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal(RolloutStates.Completed, span.GetTagItem(EdgeFleetActivities.StateTag));
        Assert.Equal("2.0.0", span.GetTagItem("edge.model.version"));
        Assert.Contains(span.Events, e => e.Name == "wave 2 started");
        Assert.Equal(4, Interlocked.Read(ref published));
    }
}
