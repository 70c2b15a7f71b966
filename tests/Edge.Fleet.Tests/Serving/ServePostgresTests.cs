using System.Globalization;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;
using Edge.Fleet.Tests.Storage;
using Edge.TestUtilities.Mqtt;
using Xunit.Abstractions;

namespace Edge.Fleet.Tests.Serving;

/// <summary>
/// Issue 22: <c>edge-fleet serve</c> instances on one PostgreSQL database behind one Mosquitto, fed by real agents
/// through the shared subscription. Whatever happens to an instance, the stored rows are exactly the records the
/// agents handed to the broker.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class ServePostgresTests : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly SimulationSettings Fast = new() { TelemetryInterval = TimeSpan.FromMilliseconds(100) };
    private readonly PostgresFixture _postgres;
    private readonly ITestOutputHelper _output;
    private MosquittoBroker _broker = null!;

    public ServePostgresTests(PostgresFixture postgres, ITestOutputHelper output)
    {
        _postgres = postgres;
        _output = output;
    }

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Serve_TwoInstancesOnOneDatabase_SplitTheLoadAndStoreEveryRecordOnce()
    {
        var spec = StoreSpec.Parse("postgres:" + await _postgres.CreateDatabaseAsync(), "test");
        await using var first = await InProcessServe.StartAsync("split", "a", _broker.Host, _broker.Port, spec);
        await using var second = await InProcessServe.StartAsync("split", "b", _broker.Host, _broker.Port, spec);
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "split", 3, Fast);

        await FleetToolHarness.WaitUntilAsync(
            () => first.Statistics.TelemetryMessages > 20 && second.Statistics.TelemetryMessages > 20,
            Patience,
            () => $"a: {first.Statistics}; b: {second.Statistics}");
        var expected = await StoredTelemetry.StopAgentsAsync(fleet);

        var stored = await StoredTelemetry.AssertExactlyOnceAsync(first.Store, expected, Patience);

        // The counters move after the whole batch (statuses, last seen) is written, a little after its rows show.
        await FleetToolHarness.WaitUntilAsync(
            () => first.Statistics.TelemetryRows + second.Statistics.TelemetryRows >= stored,
            Patience,
            () => $"a: {first.Statistics}; b: {second.Statistics}");
        Assert.True(first.Statistics.TelemetryRows > 0 && second.Statistics.TelemetryRows > 0, $"a: {first.Statistics}; b: {second.Statistics}");
        Assert.Equal(stored, first.Statistics.TelemetryRows + second.Statistics.TelemetryRows);
        Assert.Equal(0, first.Statistics.Malformed + second.Statistics.Malformed);

        // Statuses come to every instance (retained ones are never shared) and land once per device.
        var inventory = await first.Store.Inventory.LoadAsync(CancellationToken.None);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), inventory.Select(d => d.Device).Order(StringComparer.Ordinal));
        Assert.True(first.Statistics.Statuses > 0 && second.Statistics.Statuses > 0, $"a: {first.Statistics}; b: {second.Statistics}");
    }

    [Fact]
    public async Task Serve_OneOfTwoProcessesKilledMidIngestAndRestarted_NoRecordLostOrDuplicated()
    {
        var connection = await _postgres.CreateDatabaseAsync();
        var spec = StoreSpec.Parse("postgres:" + connection, "test");
        string[] Arguments(string instance) =>
        [
            "--store", "postgres:" + connection, "--fleet", "killed", "--broker", _broker.Host,
            "--port", _broker.Port.ToString(CultureInfo.InvariantCulture), "--instance", instance,
        ];

        await using var store = await FleetStore.OpenAsync(spec, TimeProvider.System, CancellationToken.None);
        var first = await ServeProcess.StartAsync(Arguments("a"));
        using var second = await ServeProcess.StartAsync(Arguments("b"));
        try
        {
            await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "killed", 3, Fast);
            await WaitForRowsAsync(store, 60);

            // SIGKILL mid-ingest: its unacknowledged messages, and its share of what comes while it is away, stay in
            // its session on the broker.
            await first.KillAsync();
            var atKill = await store.Telemetry.CountAsync(CancellationToken.None);
            await WaitForRowsAsync(store, atKill + 60);
            first.Dispose();
            first = await ServeProcess.StartAsync(Arguments("a"));
            await WaitForRowsAsync(store, await store.Telemetry.CountAsync(CancellationToken.None) + 30);

            var expected = await StoredTelemetry.StopAgentsAsync(fleet);
            await StoredTelemetry.AssertExactlyOnceAsync(store, expected, Patience);
        }
        finally
        {
            // SIGTERM is a clean stop: exit code 0 and a summary line.
            var secondCode = await second.TerminateAsync();
            var firstCode = await first.TerminateAsync();
            _output.WriteLine($"instance a after its restart:\n{first.Output}\ninstance b:\n{second.Output}");
            Assert.Equal(0, secondCode);
            Assert.Equal(0, firstCode);
            Assert.Contains("stopped:", first.Output, StringComparison.Ordinal);
            first.Dispose();
        }
    }

    private static Task WaitForRowsAsync(IFleetStore store, long rows)
    {
        long stored = 0;
        return FleetToolHarness.WaitUntilAsync(
            () => (stored = store.Telemetry.CountAsync(CancellationToken.None).GetAwaiter().GetResult()) >= rows,
            Patience,
            () => $"{stored} of {rows} rows stored");
    }

    [Fact]
    public async Task Serve_DatabaseGoesAwayMidIngestAndComesBack_NothingLostOrDuplicated()
    {
        var spec = StoreSpec.Parse("postgres:" + await _postgres.CreateDatabaseAsync(), "test");
        await using var serve = await InProcessServe.StartAsync("outage", "a", _broker.Host, _broker.Port, spec);
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "outage", 2, Fast);
        await FleetToolHarness.WaitUntilAsync(() => serve.Statistics.TelemetryRows > 20, Patience, () => serve.Statistics.ToString());

        // The database goes away while the agents keep sending: batches fail, wait unacknowledged and are retried.
        await _postgres.Server.StopServerAsync();
        var rowsAtOutage = serve.Statistics.TelemetryRows;
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself, not a measurement: agents publish through it
        await _postgres.Server.RestartServerAsync();

        await FleetToolHarness.WaitUntilAsync(() => serve.Statistics.TelemetryRows > rowsAtOutage + 20, Patience, () => serve.Statistics.ToString());
        var expected = await StoredTelemetry.StopAgentsAsync(fleet);
        await StoredTelemetry.AssertExactlyOnceAsync(serve.Store, expected, Patience);
        await serve.StopAsync();
        Assert.Equal(0, serve.Statistics.Unacknowledged);
        _output.WriteLine($"after the outage: {serve.Statistics}");
    }
}
