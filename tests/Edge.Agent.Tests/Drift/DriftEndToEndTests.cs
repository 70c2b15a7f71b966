using System.Text.Json;
using Edge.Agent.Drift;
using Edge.Agent.Ota;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Fleet.Connection;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage.Sqlite;
using Edge.Optimizer.Data;
using Edge.TestUtilities;

namespace Edge.Agent.Tests.Drift;

/// <summary>
/// The drift flag end to end on a real Mosquitto: MNIST packed by <c>edge-optimize pack --reference-data</c> over the
/// first 300 test digits, served by an in-process agent whose app feeds other digits, then the same digits inverted;
/// the fleet's ingestor, monitor state and store read the agent's telemetry, and the monitor flags the device only for
/// the inverted ones. Waits are on counts (calls the worker processed, then a telemetry sample taken after that),
/// never on elapsed time.
/// </summary>
public sealed class DriftEndToEndTests : IAsyncLifetime
{
    private const string Device = "dev-drift";
    private const int Window = 200;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-drift-e2e-").FullName;
    private OtaTestBed _bed = null!;

    private static string MnistData => "mnist:" + TestData.Directory("datasets/mnist");

    public async Task InitializeAsync() => _bed = await OtaTestBed.StartAsync();

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Monitor_ShiftedInputs_FlagsTheDeviceForDrift_ReferenceLikeInputsDoNot()
    {
        var package = await PackWithReferenceAsync();
        await using var database = await FleetDatabase.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        var store = new SqliteTelemetryStore(database);
        var state = new FleetMonitorState();
        var ingestor = new TelemetryIngestor("fleet1", state, store, null, TimeProvider.System);
        await using var connection = new BrokerConnection(new BrokerOptions { Host = _bed.Broker.Host, Port = _bed.Broker.Port }, TimeProvider.System, "drift-test");
        await connection.ConnectAsync(CancellationToken.None);
        await ingestor.StartAsync(connection, null, CancellationToken.None);
        await using var agent = await DriftAgents.StartAsync(_bed, _directory, Device, package, Window, TimeSpan.FromMilliseconds(200));
        var model = agent.Get<ActiveModel>();
        var drift = agent.Get<DriftMonitor>();
        await MqttTestClient.WaitUntilAsync(() => drift.Current is not null, Patience, () => "the agent watching its package's reference");

        // (a) Digits the reference did not see, from the same distribution.
        var calm = await FeedAndReadAsync(model, drift, state, "@300:500", invert: false, expectedProcessed: Window);
        // (b) Other digits, inverted (255 - pixel): the window now holds only shifted inputs.
        var shifted = await FeedAndReadAsync(model, drift, state, "@500:700", invert: true, expectedProcessed: 2 * Window);
        await ingestor.FlushAsync(CancellationToken.None);

        var thresholds = new MonitorThresholds();
        Assert.Equal((Window, 0L), (calm.Drift!.Samples, calm.Drift.Dropped));
        Assert.DoesNotContain(thresholds.Breaches(calm), b => b.StartsWith("drift", StringComparison.Ordinal));
        Assert.True(calm.Drift.InputDistance < 0.05, $"reference-like digits: input distance {calm.Drift.InputDistance}");
        Assert.True(calm.Drift.ConfidencePsi < 0.1, $"reference-like digits: confidence PSI {calm.Drift.ConfidencePsi}");

        Assert.Equal(("1.0.0", "Input3", 0), (shifted.Drift!.ReferenceVersion, shifted.Drift.Input, shifted.Drift.Channel));
        Assert.True(thresholds.DriftInputBreached(shifted), $"inverted digits: input distance {shifted.Drift.InputDistance}");
        using var json = JsonDocument.Parse(MonitorJsonWriter.Write(state.Snapshot("fleet1", null, TimeProvider.System.GetUtcNow(), "connected"), thresholds));
        var row = json.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("device").GetString() == Device);
        Assert.Contains("drift-input", row.GetProperty("breaches").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(shifted.Drift.InputDistance!.Value, row.GetProperty("drift").GetProperty("inputDistance").GetDouble());

        // The store kept the latest figures too (a later sample may only have moved them on by then).
        var stored = Assert.Single(await store.LatestDriftAsync(CancellationToken.None), s => s.Device == Device);
        Assert.True(stored.Figures.InputDistance > thresholds.MaxDriftInput, $"stored input distance {stored.Figures.InputDistance}");

        // The figures, for the record (docs/agent.md, "Drift").
        Console.WriteLine($"drift e2e: calm KL {calm.Drift.InputDistance:G4} PSI {calm.Drift.ConfidencePsi:G4}; inverted KL {shifted.Drift.InputDistance:G4} PSI {shifted.Drift.ConfidencePsi:G4}");
    }

    /// <summary>Feeds a phase's digits through the served host, waits until the worker took them all, then for a sample taken after that.</summary>
    private static async Task<DeviceSnapshot> FeedAndReadAsync(ActiveModel model, DriftMonitor drift, FleetMonitorState state, string range, bool invert, long expectedProcessed)
    {
        var output = new float[10];
        foreach (var sample in DatasetFactory.Open(MnistData + range).Read())
        {
            var pixels = (float[])sample.Inputs![0].Data;
            model.Host!.Run<float, float>(invert ? [.. pixels.Select(p => 255 - p)] : pixels, output);
        }

        await MqttTestClient.WaitUntilAsync(() => drift.Processed == expectedProcessed, Patience, () => $"{drift.Processed} of {expectedProcessed} calls processed");
        var processedAt = TimeProvider.System.GetUtcNow();
        DeviceSnapshot? Latest() => state.Snapshot("fleet1", null, processedAt, "connected").Devices.SingleOrDefault(d => d.Device == Device);
        await MqttTestClient.WaitUntilAsync(() => Latest() is { LastTelemetry: { } at, Drift: not null } && at > processedAt, Patience, () => $"a telemetry sample after {processedAt:O}; latest {Latest()?.LastTelemetry:O}");
        return Latest()!;
    }

    private Task<string> PackWithReferenceAsync() =>
        DriftAgents.PackAsync(_bed, _directory, TestData.File("models/mnist/mnist.onnx"), "mnist", "--reference-data", MnistData + "@0:300");
}
