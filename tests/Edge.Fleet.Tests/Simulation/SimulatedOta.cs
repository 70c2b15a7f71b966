using System.Collections.Concurrent;
using System.Text.Json;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// The device half of the OTA protocol for a simulated device, on its own MQTT connection: takes retained job
/// documents from <c>edge/{fleet}/{device}/ota/job</c>, ignores job ids it already finished (as the agent does),
/// walks queued → downloading → verifying → staged → health-checking → activating → health-checking → succeeded with
/// retained state reports, and switches the fake runner to the new version. A device set to fail the health gate
/// reports <c>rolled-back</c> with the gate's figures and keeps its version; an unresponsive one never answers. A job
/// with <c>shadow</c> reports a <c>shadow</c> progress halfway and at the job's sample count, agreeing on
/// <see cref="ShadowAgreement"/> of the samples, then promotes, or (below the job's agreement) ends <c>rolled-back</c>
/// with the figures, as the agent does, without ever switching the runner to the candidate.
/// </summary>
internal sealed class SimulatedOta : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string _fleet;
    private readonly string _device;
    private readonly FakeModelRunner _runner;
    private readonly ConcurrentDictionary<string, bool> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OtaJobDocument> _received = new();
    private readonly SemaphoreSlim _oneJob = new(1, 1);

    public SimulatedOta(string fleet, string device, FakeModelRunner runner)
    {
        _fleet = fleet;
        _device = device;
        _runner = runner;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            if (!payload.IsEmpty)
            {
                var job = OpenSigned(System.Buffers.BuffersExtensions.ToArray(payload));
                _received.Enqueue(job);
                _ = Task.Run(() => RunJobAsync(job));
            }

            return Task.CompletedTask;
        };
    }

    public bool FailsHealthGate { get; set; }

    public bool Unresponsive { get; set; }

    /// <summary>The share of shadow samples on which this device's candidate agrees with its served model. Default 1.</summary>
    public double ShadowAgreement { get; set; } = 1.0;

    /// <summary>Time per reported step.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Every job document this device received, in order.</summary>
    public IReadOnlyCollection<OtaJobDocument> JobsReceived => _received;

    public async Task StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"{_fleet}-{_device}-ota")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(10)).Build();
        await _client.ConnectAsync(options, cancellationToken);
        await _client.SubscribeAsync(OtaTopics.DeviceJob(_fleet, _device), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    /// <summary>As the agent does: only a job signed by the operator key is parsed and run (anything else throws here and is never run).</summary>
    private static OtaJobDocument OpenSigned(byte[] payload)
    {
        var envelope = JsonSerializer.Deserialize(payload, OtaJsonContext.Default.OtaSignedJob)!;
        if (envelope.Schema != OtaSchemas.SignedJob)
        {
            throw new InvalidDataException($"The job topic carried schema '{envelope.Schema}', expected '{OtaSchemas.SignedJob}'.");
        }

        var document = Convert.FromBase64String(envelope.Job);
        Edge.Packaging.DetachedSignatures.Verify(document, System.Text.Encoding.UTF8.GetBytes(envelope.Signature.GetRawText()), OperatorKey.Trust, "job document");
        return JsonSerializer.Deserialize(document, OtaJsonContext.Default.OtaJobDocument)!;
    }

    private async Task RunJobAsync(OtaJobDocument job)
    {
        if (Unresponsive)
        {
            return;
        }

        await _oneJob.WaitAsync();
        try
        {
            if (!_finished.TryAdd(job.JobId, true))
            {
                return;
            }

            var from = _runner.Version;
            var to = job.Package.Version;
            await ReportAsync(job, OtaJobStates.Queued, from, to, from);
            foreach (var percent in new[] { 0.0, 50.0, 100.0 })
            {
                await ReportAsync(job, OtaJobStates.Downloading, from, to, from, progress: new OtaProgress { Percent = percent, TotalBytes = job.Package.Size, BytesReceived = (long)(job.Package.Size * percent / 100) });
            }

            await ReportAsync(job, OtaJobStates.Verifying, from, to, from);
            await ReportAsync(job, OtaJobStates.Staged, from, to, from);
            await ReportAsync(job, OtaJobStates.HealthChecking, from, to, from, phase: "gate");
            if (FailsHealthGate)
            {
                await ReportAsync(job, OtaJobStates.RolledBack, from, to, from, phase: "gate",
                    reason: "golden samples: max abs error 0.31 > tolerance 0.001", figures: new Dictionary<string, double> { ["maxAbsError"] = 0.31 });
                return;
            }

            var shadow = job.Shadow is { } request ? await ShadowAsync(job, request, from, to) : null;
            if (shadow is { Agreement: var agreement } && agreement < job.Shadow!.MinAgreement)
            {
                await ReportAsync(job, OtaJobStates.RolledBack, from, to, from, phase: "shadow", shadow: shadow,
                    reason: FormattableString.Invariant($"shadow: agreement {agreement:F4} < {job.Shadow.MinAgreement} ({shadow.Agreements} of {shadow.Samples} classification samples, 0 candidate errors)"),
                    figures: new Dictionary<string, double> { ["shadowSamples"] = shadow.Samples, ["shadowAgreement"] = agreement ?? 0 });
                return;
            }

            await ReportAsync(job, OtaJobStates.Activating, from, to, from, shadow: shadow);
            _runner.Version = to;
            await ReportAsync(job, OtaJobStates.HealthChecking, from, to, to, phase: "watch", shadow: shadow);
            await ReportAsync(job, OtaJobStates.Succeeded, from, to, to, shadow: shadow);
        }
        finally
        {
            _oneJob.Release();
        }
    }

    /// <summary>Reports the shadow halfway and at the job's sample count; returns the final figures.</summary>
    private async Task<OtaShadowFigures> ShadowAsync(OtaJobDocument job, OtaShadowRequest request, string from, string to)
    {
        var final = default(OtaShadowFigures);
        foreach (var samples in new[] { request.MinSamples / 2, request.MinSamples })
        {
            var agreements = (long)Math.Round(samples * ShadowAgreement);
            final = new OtaShadowFigures
            {
                Task = "classification",
                Samples = samples,
                Agreements = agreements,
                Agreement = samples == 0 ? null : (double)agreements / samples,
                CandidateP95Ms = 5.5,
                ServingP95Ms = 5.0,
                LatencyRatio = 1.1,
                LiveCalls = (long)(samples / request.SampleFraction),
                Sampled = samples,
            };
            await ReportAsync(job, OtaJobStates.HealthChecking, from, to, from, phase: "shadow", shadow: final);
        }

        return final!;
    }

    private async Task ReportAsync(OtaJobDocument job, string state, string from, string to, string active, string? phase = null, string? reason = null,
        OtaProgress? progress = null, Dictionary<string, double>? figures = null, OtaShadowFigures? shadow = null)
    {
        await Task.Delay(StepDelay);
        var report = new OtaJobStateReport
        {
            JobId = job.JobId,
            Fleet = _fleet,
            Device = _device,
            State = state,
            Timestamp = TimeProvider.System.GetUtcNow(),
            Phase = phase,
            Reason = reason,
            Progress = progress,
            FromVersion = from,
            ToVersion = to,
            ActiveVersion = active,
            Figures = figures,
            Shadow = shadow,
        };
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(OtaTopics.State(_fleet, _device))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(report, OtaJsonContext.Default.OtaJobStateReport))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build());
    }
}
