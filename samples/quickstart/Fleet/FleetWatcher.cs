using System.Diagnostics;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Publishing;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Quickstart.Fleet;

/// <summary>
/// The quickstart's own view of the broker, beside edge-fleet's: every telemetry record (parsed with edge-fleet's
/// parser, de-duplicated by device and sequence number) and every OTA state report (edge-fleet's tracker), so the
/// summary can say what the devices themselves reported.
/// </summary>
internal sealed class FleetWatcher : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _fleet;
    private readonly Lock _lock = new();
    private readonly HashSet<(string Device, long Seq)> _seen = [];
    private readonly Dictionary<string, long> _callsByVersion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastVersion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _recordsByDevice = new(StringComparer.Ordinal);

    private FleetWatcher(IMqttClient client, string fleet)
    {
        _client = client;
        _fleet = fleet;
        States = new JobStateTracker(client, fleet);
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public JobStateTracker States { get; }

    public static async Task<FleetWatcher> StartAsync(string brokerAddress, string fleet, CancellationToken cancellationToken)
    {
        var client = await BrokerConnection.ConnectAsync(brokerAddress, "quickstart-watcher", null, null, cancellationToken);
        var watcher = new FleetWatcher(client, fleet);
        await watcher.States.StartAsync(cancellationToken);
        await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"edge/{fleet}/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);
        return watcher;
    }

    public int Records(string device)
    {
        lock (_lock)
        {
            return _recordsByDevice.GetValueOrDefault(device);
        }
    }

    public int TotalRecords
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Inference calls reported in telemetry, by model version, summed over the fleet.</summary>
    public IReadOnlyDictionary<string, long> CallsByVersion
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, long>(_callsByVersion, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The version a device's latest telemetry record reported calls for, or null.</summary>
    public string? LastVersion(string device)
    {
        lock (_lock)
        {
            return _lastVersion.GetValueOrDefault(device);
        }
    }

    /// <summary>Waits until every device's telemetry shows calls on <paramref name="version"/> (at least <paramref name="records"/> records each).</summary>
    public async Task WaitForAsync(IReadOnlyList<string> devices, string version, int records, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!devices.All(d => LastVersion(d) == version && Records(d) >= records))
        {
            if (clock.Elapsed > timeout)
            {
                var seen = string.Join(", ", devices.Select(d => $"{d}: {Records(d)} records, last version {LastVersion(d) ?? "none"}"));
                throw new QuickstartException($"telemetry did not show {version} on every device within {timeout.TotalSeconds:0} s ({seen}).");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The latest report of each device for a job.</summary>
    public IReadOnlyList<OtaJobStateReport> Reports(string jobId) => States.ForJob(jobId);

    public async ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        States.Dispose();
        await _client.DisconnectAsync();
        _client.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (!topic.StartsWith($"edge/{_fleet}/", StringComparison.Ordinal) || !topic.EndsWith("/telemetry", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var parsed = TelemetryParser.Parse(topic, e.ApplicationMessage.Payload);
        lock (_lock)
        {
            foreach (var record in parsed.Records)
            {
                if (!_seen.Add((record.Device, record.Seq)))
                {
                    continue;
                }

                _recordsByDevice[record.Device] = _recordsByDevice.GetValueOrDefault(record.Device) + 1;
                foreach (var figures in record.Sample.Inference.Where(f => f.Calls > 0))
                {
                    _callsByVersion[figures.Version] = _callsByVersion.GetValueOrDefault(figures.Version) + figures.Calls;
                    _lastVersion[record.Device] = figures.Version;
                }
            }
        }

        return Task.CompletedTask;
    }
}
