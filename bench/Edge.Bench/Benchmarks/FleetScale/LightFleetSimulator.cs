using System.Diagnostics;
using System.Globalization;
using Edge.Agent.Mqtt;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Edge.Protocol;
using MQTTnet;
using MQTTnet.Formatter;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// Many simulated devices at low cost: a few MQTT connections, each publishing for its share of the device topics.
/// Every message is one the agent sends, built by the agent's own code: the retained <c>online</c> status
/// (<see cref="StatusMessages"/>) and, once a second per device, an <c>edge.telemetry/1</c> batch of one record
/// (<see cref="TelemetrySampler.Serialize"/> of a sample inside <see cref="TelemetryBatchWriter.Write"/>), QoS 1, with
/// consecutive <c>seq</c> per device from 1. A device costs a few hundred bytes of state instead of an agent's
/// host, outbox and connection. The sample's timestamp is taken just before its publish call, so a stored row's
/// <c>at</c> is its publish time (millisecond resolution of the record's <c>ts</c>; the sample keeps full precision).
/// </summary>
internal sealed class LightFleetSimulator : IAsyncDisposable
{
    public const string Model = "mnist";
    public const string InitialVersion = "1.0.0";
    private const int TicksPerSecond = 50;
    private const int MaxInFlightPerConnection = 5000;

    private readonly string _fleet;
    private readonly IMqttClient[] _clients;
    private readonly TelemetryBatchWriter[] _writers;
    private readonly TopicScheme[] _topics;
    private readonly long[] _nextSeq;
    private readonly string[] _version;
    private readonly double[] _baseLatencyMs;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private long _acked;
    private long _failed;

    public LightFleetSimulator(string fleet, int devices, int connections)
    {
        _fleet = fleet;
        Ids = Enumerable.Range(0, devices).Select(DeviceId).ToArray();
        _clients = Enumerable.Range(0, connections).Select(_ => new MqttClientFactory().CreateMqttClient()).ToArray();
        _topics = Ids.Select(id => new TopicScheme(fleet, id)).ToArray();
        _writers = _topics.Select(t => new TelemetryBatchWriter(t, PayloadCompressionKind.None, MqttProtocolVersion.V500)).ToArray();
        _nextSeq = Enumerable.Repeat(1L, devices).ToArray();
        _version = Enumerable.Repeat(InitialVersion, devices).ToArray();
        _baseLatencyMs = Enumerable.Range(0, devices).Select(i => 4.0 + (i % 7 * 0.5)).ToArray();
        for (var i = 0; i < devices; i++)
        {
            _index[Ids[i]] = i;
        }
    }

    /// <summary>Device ids <c>sim-00000</c>...: ordinal order is index order, the order the deployment planner uses.</summary>
    public string[] Ids { get; }

    /// <summary>Latency factor of the candidate version per device index (1 when absent): the slow subset.</summary>
    public Dictionary<int, double> CandidateFactor { get; } = [];

    public string CandidateVersion { get; set; } = "2.0.0";

    /// <summary>Telemetry publishes the broker acknowledged.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Telemetry publishes that failed or were refused (never retried).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public int DevicesOn(string version) => _version.Count(v => v == version);

    public static string DeviceId(int index) => "sim-" + index.ToString("D5", CultureInfo.InvariantCulture);

    public bool TryIndex(string device, out int index) => _index.TryGetValue(device, out index);

    /// <summary>The model version the device reports from now on (the OTA responder's "activating" step).</summary>
    public void Switch(int index, string version) => Volatile.Write(ref _version[index], version);

    public async Task ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        for (var c = 0; c < _clients.Length; c++)
        {
            var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"{_fleet}-light-sim-{c}")
                .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).WithCleanStart().Build();
            await _clients[c].ConnectAsync(options, cancellationToken);
        }
    }

    /// <summary>Publishes every device's retained <c>online</c> status, as an agent does on connecting.</summary>
    public async Task PublishStatusesAsync(CancellationToken cancellationToken)
    {
        var facts = new DeviceFacts
        {
            Board = "simulated", Os = "linux", Architecture = "x64", AgentVersion = "0.1.0", SdkVersion = "0.1.0",
            Models = [new ModelFact(Model, InitialVersion)],
        };
        var outbox = new OutboxStatistics();
        var schedule = new TelemetrySchedule(TimeSpan.FromSeconds(1));
        for (var start = 0; start < Ids.Length; start += 500)
        {
            var tasks = new List<Task>();
            for (var i = start; i < Math.Min(Ids.Length, start + 500); i++)
            {
                var message = new StatusMessages(_topics[i], facts, TimeProvider.System, outbox, schedule, MqttProtocolVersion.V500).Online();
                tasks.Add(_clients[i % _clients.Length].PublishAsync(message, cancellationToken));
            }

            await Task.WhenAll(tasks);
        }
    }

    /// <summary>
    /// Publishes one telemetry message per device per second until <paramref name="until"/> (a Stopwatch timestamp)
    /// or cancellation, spread over 50 ticks a second; a late tick is caught up, so the offered rate holds while the
    /// machine keeps up and the achieved rate (acknowledged publishes) shows when it does not.
    /// </summary>
    public Task RunTelemetryAsync(long until, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, _clients.Length).Select(c => Task.Run(() => RunConnectionAsync(c, until, cancellationToken), CancellationToken.None)));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            client.Dispose();
        }
    }

    private async Task RunConnectionAsync(int connection, long until, CancellationToken cancellationToken)
    {
        var mine = Enumerable.Range(0, Ids.Length).Where(i => i % _clients.Length == connection).ToArray();
        var random = new Random(connection);
        var started = Stopwatch.GetTimestamp();
        var tickLength = TimeSpan.FromSeconds(1.0 / TicksPerSecond);
        var pending = new Queue<Task>();
        for (long tick = 0; !cancellationToken.IsCancellationRequested; tick++)
        {
            var due = tickLength * tick;
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, CancellationToken.None);
            }

            if (Stopwatch.GetTimestamp() >= until)
            {
                break;
            }

            // Publishes are pipelined (QoS 1 acknowledgements are awaited in order, not per tick), with a bound on
            // those in flight per connection.
            var slot = (int)(tick % TicksPerSecond);
            for (var k = slot; k < mine.Length; k += TicksPerSecond)
            {
                pending.Enqueue(PublishAsync(connection, mine[k], random));
            }

            while (pending.Count > MaxInFlightPerConnection || (pending.Count > 0 && pending.Peek().IsCompleted))
            {
                await pending.Dequeue();
            }
        }

        await Task.WhenAll(pending);
    }

    private async Task PublishAsync(int connection, int device, Random random)
    {
        var seq = _nextSeq[device]++;
        var version = Volatile.Read(ref _version[device]);
        var factor = version == CandidateVersion ? CandidateFactor.GetValueOrDefault(device, 1.0) : 1.0;
        var p50 = _baseLatencyMs[device] * factor * (0.95 + (random.NextDouble() * 0.1));
        var now = TimeProvider.System.GetUtcNow();
        var sample = new TelemetrySample
        {
            Timestamp = now,
            IntervalMs = 1000,
            System = new SystemFigures { CpuPercent = 20 + (random.NextDouble() * 10), MemoryTotalBytes = 2L << 30, MemoryAvailableBytes = 1L << 30, TemperatureCelsius = 45 },
            Inference = [new InferenceFigures { Model = Model, Version = version, Provider = "cpu", Calls = 2, P50Ms = p50, P95Ms = p50 * 1.6, P99Ms = p50 * 2.2 }],
            Outbox = new OutboxFigures(0, 0, 0),
        };
        var record = new OutboxRecord(seq, now.ToUnixTimeMilliseconds(), TelemetrySampler.Serialize(sample));
        try
        {
            var result = await _clients[connection].PublishAsync(_writers[device].Write([record]), CancellationToken.None);
            if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                Interlocked.Increment(ref _acked);
                return;
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
        }

        Interlocked.Increment(ref _failed);
    }
}
