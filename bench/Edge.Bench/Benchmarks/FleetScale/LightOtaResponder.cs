using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Edge.Packaging;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The device half of the OTA protocol for every device of a <see cref="LightFleetSimulator"/>, on one MQTT
/// connection: a wildcard subscription on <c>edge/{fleet}/+/ota/job</c>; each retained job document is verified
/// against the operator key as the agent does, a job id the device already ran is ignored, and the device walks
/// queued → downloading (0, 50, 100 %) → verifying → staged → health-checking (gate) → activating → health-checking
/// (watch) → succeeded with retained <see cref="OtaJobStateReport"/>s, switching its reported model version at
/// "activating". Like the fleet tests' SimulatedOta it reports the download without fetching the package's chunks.
/// </summary>
internal sealed class LightOtaResponder : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly LightFleetSimulator _simulator;
    private readonly string _fleet;
    private readonly PackageTrust _trust;
    private readonly TimeSpan _stepDelay;
    private readonly ConcurrentDictionary<string, int> _jobsReceived = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Device, string Job), bool> _finished = new();
    private readonly ConcurrentBag<Task> _running = [];
    private long _rejected;

    public LightOtaResponder(LightFleetSimulator simulator, string fleet, PackageTrust trust, TimeSpan stepDelay)
    {
        _simulator = simulator;
        _fleet = fleet;
        _trust = trust;
        _stepDelay = stepDelay;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            var device = OtaTopics.DeviceOf(e.ApplicationMessage.Topic, _fleet);
            if (!payload.IsEmpty && device is not null)
            {
                var bytes = System.Buffers.BuffersExtensions.ToArray(payload);
                _running.Add(Task.Run(() => RunJobAsync(device, bytes)));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Job documents received per device (a retained job re-sent counts again).</summary>
    public IReadOnlyDictionary<string, int> JobsReceived => _jobsReceived;

    /// <summary>Job messages refused (bad signature or shape).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public async Task StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"{_fleet}-light-ota")
            .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).WithCleanStart().Build();
        await _client.ConnectAsync(options, cancellationToken);
        await _client.SubscribeAsync($"{Edge.Protocol.TopicScheme.Root}/{_fleet}/+/ota/job", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_running);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task RunJobAsync(string device, byte[] payload)
    {
        OtaJobDocument job;
        try
        {
            var envelope = JsonSerializer.Deserialize(payload, OtaJsonContext.Default.OtaSignedJob)!;
            var document = Convert.FromBase64String(envelope.Job);
            DetachedSignatures.Verify(document, Encoding.UTF8.GetBytes(envelope.Signature.GetRawText()), _trust, "job document");
            job = JsonSerializer.Deserialize(document, OtaJsonContext.Default.OtaJobDocument)!;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            Interlocked.Increment(ref _rejected);
            return;
        }

        _jobsReceived.AddOrUpdate(device, 1, (_, n) => n + 1);
        if (!_finished.TryAdd((device, job.JobId), true) || !_simulator.TryIndex(device, out var index))
        {
            return;
        }

        var from = LightFleetSimulator.InitialVersion;
        var to = job.Package.Version;
        await ReportAsync(device, job, OtaJobStates.Queued, from, to, from);
        foreach (var percent in new[] { 0.0, 50.0, 100.0 })
        {
            await ReportAsync(device, job, OtaJobStates.Downloading, from, to, from,
                progress: new OtaProgress { Percent = percent, TotalBytes = job.Package.Size, BytesReceived = (long)(job.Package.Size * percent / 100) });
        }

        await ReportAsync(device, job, OtaJobStates.Verifying, from, to, from);
        await ReportAsync(device, job, OtaJobStates.Staged, from, to, from);
        await ReportAsync(device, job, OtaJobStates.HealthChecking, from, to, from, phase: "gate");
        await ReportAsync(device, job, OtaJobStates.Activating, from, to, from);
        _simulator.Switch(index, to);
        await ReportAsync(device, job, OtaJobStates.HealthChecking, from, to, to, phase: "watch");
        await ReportAsync(device, job, OtaJobStates.Succeeded, from, to, to);
    }

    private async Task ReportAsync(string device, OtaJobDocument job, string state, string from, string to, string active, string? phase = null, OtaProgress? progress = null)
    {
        await Task.Delay(_stepDelay);
        var report = new OtaJobStateReport
        {
            JobId = job.JobId,
            Fleet = _fleet,
            Device = device,
            State = state,
            Timestamp = TimeProvider.System.GetUtcNow(),
            Phase = phase,
            Progress = progress,
            FromVersion = from,
            ToVersion = to,
            ActiveVersion = active,
        };
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(OtaTopics.State(_fleet, device))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(report, OtaJsonContext.Default.OtaJobStateReport))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build());
    }
}
