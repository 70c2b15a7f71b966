using Edge.Fleet.Serving;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Serving;

/// <summary>
/// <c>serve</c> across broker restarts (Mosquitto saving its sessions, restarted with SIGTERM as a service restart is,
/// while real agents keep sampling into their outboxes). Mosquitto 2.0.11 restores a persisted session without its
/// shared subscriptions, so a single instance on it runs with <c>--share-group none</c>: its persistent session and
/// acknowledge-after-store then keep every record, as the monitor's do.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class ServeBrokerRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-serve-restart-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(persistence: true);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Serve_UnsharedTwoBrokerRestartsMidIngest_EveryRecordStoredOnce()
    {
        var spec = StoreSpec.Sqlite(Path.Combine(_directory, "state.db"));
        await using var serve = await InProcessServe.StartAsync("restarts", "a", _broker.Host, _broker.Port, spec, ServeOptions.NotShared);
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "restarts", 3, new SimulationSettings { TelemetryInterval = TimeSpan.FromMilliseconds(100) });
        await FleetToolHarness.WaitUntilAsync(() => serve.Statistics.TelemetryRows > 20, Patience, () => serve.Statistics.ToString());

        for (var restart = 0; restart < 2; restart++)
        {
            var before = serve.Statistics.TelemetryRows;
            await _broker.TerminateAsync(); // SIGTERM: Mosquitto saves serve's session and what it queued
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // the outage itself, not a measurement: agents keep sampling
            await _broker.StartAgainAsync(CancellationToken.None);
            await FleetToolHarness.WaitUntilAsync(() => serve.Statistics.TelemetryRows > before + 20, Patience, () => $"after restart {restart + 1}: {serve.Statistics}");
        }

        // Every agent back online and delivering again (each reconnects with its own backoff) before they stop.
        await FleetToolHarness.WaitUntilAsync(
            () => serve.Store.Telemetry.QueryAsync(TimeProvider.System.GetUtcNow().AddHours(-1), null, CancellationToken.None).GetAwaiter().GetResult()
                .GroupBy(r => r.Device).Count(g => g.Count() >= 60) == fleet.Devices.Count,
            Patience,
            () => serve.Statistics.ToString());
        var expected = await StoredTelemetry.StopAgentsAsync(fleet);
        await StoredTelemetry.AssertExactlyOnceAsync(serve.Store, expected, Patience);
    }
}
