using System.Collections.Concurrent;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Publishing;

/// <summary>
/// Follows job state reports of a fleet (<c>edge/{fleet}/+/ota/state</c>, retained, so the latest of every device
/// arrives on subscribe) and keeps the latest report per device and job. Thread-safe.
/// </summary>
public sealed class JobStateTracker : IDisposable
{
    private readonly IMqttClient _client;
    private readonly string _fleet;
    private readonly ConcurrentDictionary<(string Device, string JobId), OtaJobStateReport> _latest = new();
    private readonly ConcurrentQueue<OtaJobStateReport> _history = new();

    public JobStateTracker(IMqttClient client, string fleet)
    {
        _client = client;
        _fleet = fleet;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Raised for every report received, on the client's receive loop: return quickly.</summary>
    public event Action<OtaJobStateReport>? Received;

    /// <summary>Every report received, in arrival order.</summary>
    public IReadOnlyCollection<OtaJobStateReport> History => _history;

    public Task StartAsync(CancellationToken cancellationToken) =>
        _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(OtaTopics.StateFilter(_fleet), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

    /// <summary>Latest report of each device for <paramref name="jobId"/>.</summary>
    public IReadOnlyList<OtaJobStateReport> ForJob(string jobId) =>
        [.. _latest.Where(p => p.Key.JobId == jobId).Select(p => p.Value).OrderBy(r => r.Device, StringComparer.Ordinal)];

    public OtaJobStateReport? Latest(string device, string jobId) => _latest.GetValueOrDefault((device, jobId));

    /// <summary>Waits until <paramref name="device"/> reports a terminal state for <paramref name="jobId"/> and returns that report.</summary>
    public async Task<OtaJobStateReport> WaitForTerminalAsync(string device, string jobId, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<OtaJobStateReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReport(OtaJobStateReport report)
        {
            if (report.Device == device && report.JobId == jobId && OtaJobStates.IsTerminal(report.State))
            {
                completion.TrySetResult(report);
            }
        }

        Received += OnReport;
        try
        {
            if (Latest(device, jobId) is { } known && OtaJobStates.IsTerminal(known.State))
            {
                return known;
            }

            return await completion.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Received -= OnReport;
        }
    }

    public void Dispose() => _client.ApplicationMessageReceivedAsync -= OnMessageAsync;

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var topic = args.ApplicationMessage.Topic;
        if (!topic.EndsWith("/ota/state", StringComparison.Ordinal) || OtaTopics.DeviceOf(topic, _fleet) is null || args.ApplicationMessage.Payload.IsEmpty)
        {
            return Task.CompletedTask;
        }

        try
        {
            var reader = new Utf8JsonReader(args.ApplicationMessage.Payload);
            if (JsonSerializer.Deserialize(ref reader, OtaJsonContext.Default.OtaJobStateReport) is { } report)
            {
                _latest[(report.Device, report.JobId)] = report;
                _history.Enqueue(report);
                Received?.Invoke(report);
            }
        }
        catch (JsonException)
        {
            // Not a state report of this schema; ignored.
        }

        return Task.CompletedTask;
    }
}
