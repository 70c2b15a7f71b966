using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Edge.Fleet.Deployments;
using Edge.Fleet.Observability;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;
using Edge.TestUtilities.Otlp;

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
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == EdgeFleetActivities.DeploymentIdTag && Equals(tag.Value, "dep-span"))
                {
                    Interlocked.Add(ref published, value);
                }
            }
        });
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

    [Fact]
    public async Task RunAsync_OtelEndpointSet_RolloutSpanAndJobCountReachTheCollector()
    {
        await using var receiver = OtlpReceiver.Start();
        var environment = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint };
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 2, new SimulationSettings());
        await using var tool = await FleetToolHarness.StartAsync(_broker.Host, _broker.Port, Fleet, Path.Combine(_directory, "state.db"));
        var inventory = await tool.InventoryAsync(2);
        await tool.WaitForTelemetryAsync(4);
        var options = new DeploymentOptions { Waves = "100%", MaxConcurrent = 10, Soak = TimeSpan.FromSeconds(0.5), DeviceTimeout = TimeSpan.FromSeconds(20), MinKpiSamples = 3 };
        await DeploymentPlanner.CreateAsync(tool.Deployments, DeploymentPlanner.Plan("dep-otlp", "all", "2.0.0.edgepkg", "mnist", "2.0.0", options, inventory), CancellationToken.None);

        using (FleetTelemetryExport.Start(environment.GetValueOrDefault))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Assert.Equal(RolloutStates.Completed, (await tool.Engine().RunAsync("dep-otlp", timeout.Token)).State);
        }

        var span = Assert.Single(receiver.Spans, s => s.Name == EdgeFleetActivities.Rollout && s.Attributes[EdgeFleetActivities.DeploymentIdTag] == "dep-otlp");
        Assert.Equal(FleetTelemetryExport.DefaultServiceName, span.Resource["service.name"]);
        Assert.Equal(RolloutStates.Completed, span.Attributes[EdgeFleetActivities.StateTag]);
        var jobs = receiver.Points.Where(p => p.Name == EdgeFleetMetrics.JobsPublished && p.Attributes[EdgeFleetActivities.DeploymentIdTag] == "dep-otlp");
        Assert.Equal(2, jobs.Max(p => p.Value)); // cumulative: the last export holds the total
    }

    [Fact]
    public async Task Cli_OtelEndpointNotAUri_ExitCode2NamingTheVariable()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await Edge.Fleet.Cli.EdgeFleetCli.RunAsync(["groups", "list"], output, error, name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "collector" : null);

        Assert.Equal(2, code);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URI such as 'http://collector:4318'; got 'collector'", error.ToString(), StringComparison.Ordinal);
    }
}
