using System.Globalization;
using System.Text.Json;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Monitoring;

/// <summary>
/// Issue 17, case D: real agents publish telemetry while Mosquitto (persistence on, as shipped) is restarted three
/// times with SIGTERM and <c>edge-fleet monitor</c> is itself restarted once; <c>edge-fleet export</c> must then hold
/// every record each agent's outbox handed to the broker: none lost, none twice. A clean fleet session dropped what
/// agents flushed before the tool re-subscribed (75-76 records per device in the issue's trial).
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class TelemetryBrokerRestartTests : IAsyncLifetime
{
    private const string Fleet = "restarts";
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-restart-").FullName;
    private readonly Queue<CancellationTokenSource> _stops = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(persistence: true);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task MonitorThenExport_ThreeBrokerRestartsAndAToolRestart_NoRecordLostOrDuplicated()
    {
        var monitor = StartMonitor();
        await Task.Delay(2000); // the monitor's subscription exists before the first record
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 3, new SimulationSettings { TelemetryInterval = TimeSpan.FromMilliseconds(100) });

        for (var restart = 0; restart < 3; restart++)
        {
            await Task.Delay(2000);
            await _broker.TerminateAsync(); // SIGTERM, as a service restart: Mosquitto saves its sessions
            await Task.Delay(1500);         // agents keep sampling into their outboxes meanwhile
            await _broker.StartAgainAsync(CancellationToken.None);
        }

        // The tool restarts too: stopped, the agents publish for two seconds, then the same monitor starts again.
        await Task.Delay(2000);
        await StopAsync(monitor);
        await Task.Delay(2000);
        monitor = StartMonitor();
        await Task.Delay(2000);

        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var device in fleet.Devices)
        {
            await device.StopAgentAsync();
            expected[device.Id] = await AgentOutbox.DeliveredThroughAsync(device.OutboxPath);
        }

        await Task.Delay(3000); // the monitor stores what arrived last
        await StopAsync(monitor);
        var rows = await ExportAsync();

        foreach (var (device, last) in expected)
        {
            var seqs = rows.Where(r => r.Device == device).Select(r => r.Seq).ToList();
            var missing = Enumerable.Range(1, (int)last).Select(i => (long)i).Except(seqs).ToList();
            var duplicated = seqs.Count - seqs.Distinct().Count();
            Assert.True(last > 50, $"{device}: only {last} records were produced");
            var first = missing.FirstOrDefault();
            var around = string.Join(",", seqs.Where(q => q > first - 10 && q < first + 30).Order());
            Assert.True(missing.Count == 0, $"{device}: {missing.Count} of {last} records lost (first: {string.Join(", ", missing.Take(10))}); exported around them: {around}; the tool's sessions in the broker log:\n{ToolLog()}");
            Assert.Equal(0, duplicated);
        }
    }

    private string ToolLog() =>
        string.Join('\n', _broker.Log.Split('\n').Where(l => l.Contains("edge-fleet-monitor", StringComparison.Ordinal) || l.Contains("running", StringComparison.Ordinal)));

    private Task<(int Code, string Output, string Error)> StartMonitor()
    {
        var stop = new CancellationTokenSource();
        _stops.Enqueue(stop);
        return RunAsync(stop.Token, "monitor", "--once", "--duration", "10m", "--connect-retry", "60");
    }

    private async Task StopAsync(Task<(int Code, string Output, string Error)> monitor)
    {
        using var stop = _stops.Dequeue();
        await stop.CancelAsync();
        var (code, output, error) = await monitor;
        Assert.True(code is ExitCodes.Success or 130, $"monitor exited {code}: {output}{error}");
    }

    private async Task<List<(string Device, long Seq)>> ExportAsync()
    {
        var (code, output, error) = await RunAsync(CancellationToken.None, "export", "--since", "1h", "--format", "json");
        Assert.True(code == ExitCodes.Success, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("rows");
        return root.EnumerateArray().Select(r => (r.GetProperty("device").GetString()!, r.GetProperty("seq").GetInt64())).ToList();
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--state", Path.Combine(_directory, "state.db"), "--fleet", Fleet, "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture)];
        var code = await EdgeFleetCli.RunAsync([.. args, .. common], output, error, cancellationToken: cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
