using System.Globalization;
using System.Net.Http.Headers;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Connection;
using Edge.Fleet.Dashboard;
using Edge.Fleet.Serving;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Serving;

/// <summary>
/// The dashboard's forget as <c>serve</c> hosts it: with <see cref="BrokerRetainedStatusClearer"/> it also clears the
/// device's retained status on a real Mosquitto, so <c>devices</c> no longer brings the device back.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class BrokerRetainedStatusClearerTests : IAsyncLifetime
{
    private const string Token = "clearer-test-token-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-clearer-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DashboardForget_InsideServe_ClearsTheRetainedStatusToo()
    {
        await using (var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 2, new SimulationSettings()))
        {
            Assert.Equal(ExitCodes.Success, (await RunAsync("devices", "--json")).Code);
        }

        // Both agents stopped: their retained status says offline and the inventory still lists them.
        Assert.Contains("\"device\": \"dev-001\"", (await RunAsync("devices", "--json")).Output, StringComparison.Ordinal);
        var broker = new BrokerOptions { Host = _broker.Host, Port = _broker.Port };
        await using (var store = await FleetStore.OpenAsync(StoreSpec.Sqlite(Path.Combine(_directory, "state.db")), TimeProvider.System, CancellationToken.None))
        await using (var dashboard = await DashboardServer.StartAsync(store, new DashboardOptions { Listen = "http://127.0.0.1:0", Token = Token }, TimeProvider.System,
            new BrokerRetainedStatusClearer(broker, "f1", "test", TimeProvider.System), CancellationToken.None))
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(dashboard.Address, "/api/devices/dev-001/forget"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.IsSuccessStatusCode, text);
            Assert.Equal($"Forgot device 'dev-001': inventory entry, labels and group memberships removed, retained status and OTA state cleared on the broker {_broker.Host}:{_broker.Port}.\n", text);
        }

        var after = (await RunAsync("devices", "--json")).Output;
        Assert.DoesNotContain("\"device\": \"dev-001\"", after, StringComparison.Ordinal);
        Assert.Contains("\"device\": \"dev-002\"", after, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture)];
        var code = await EdgeFleetCli.RunAsync([.. args, .. common], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
