using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Edge.Fleet.Connection;
using JobSigner = Edge.Fleet.Publishing.JobSigner;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Publishes signed job documents retained on <c>edge/{fleet}/{device}/ota/job</c> (so an offline device gets its job when it
/// returns) and follows the devices' retained <c>ota/state</c> reports. After a restart the broker re-sends the latest
/// retained report of every device on subscribe, which is how a resumed deployment learns what happened meanwhile.
/// </summary>
internal sealed class MqttJobPublisher : IJobPublisher
{
    private readonly BrokerConnection _connection;
    private readonly string _fleet;
    private readonly JobSigner _signer;
    private readonly ConcurrentDictionary<string, OtaJobStateReport> _latest = new(StringComparer.Ordinal);
    private long _malformedReports;

    /// <param name="connection">The tool's broker connection; not owned.</param>
    /// <param name="fleet">The fleet id.</param>
    /// <param name="signer">The operator key every job document is signed with (devices refuse unsigned jobs); not owned.</param>
    public MqttJobPublisher(BrokerConnection connection, string fleet, JobSigner signer)
    {
        _connection = connection;
        _fleet = fleet;
        _signer = signer;
    }

    public event Action<OtaJobStateReport>? ReportReceived;

    public IReadOnlyCollection<OtaJobStateReport> LatestReports => [.. _latest.Values];

    /// <summary>State reports that were not valid <c>edge.ota-state/1</c> documents.</summary>
    public long MalformedReports => Interlocked.Read(ref _malformedReports);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _connection.MessageReceived += OnMessageAsync;
        await _connection.SubscribeAsync(OtaTopics.StateFilter(_fleet), cancellationToken);
    }

    public Task PublishJobAsync(string device, OtaJobDocument job, CancellationToken cancellationToken) =>
        _connection.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(OtaTopics.DeviceJob(_fleet, device))
            .WithPayload(_signer.Sign(job))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build(), cancellationToken);

    private Task OnMessageAsync(MqttApplicationMessage message)
    {
        if (!message.Topic.EndsWith("/ota/state", StringComparison.Ordinal) || OtaTopics.DeviceOf(message.Topic, _fleet) is not { } device || message.Payload.IsEmpty)
        {
            return Task.CompletedTask;
        }

        try
        {
            var report = JsonSerializer.Deserialize(message.Payload.ToArray(), OtaJsonContext.Default.OtaJobStateReport);
            if (report is not null && report.Device == device && report.Schema == OtaSchemas.State)
            {
                _latest[device] = report;
                ReportReceived?.Invoke(report);
                return Task.CompletedTask;
            }
        }
        catch (JsonException)
        {
        }

        Interlocked.Increment(ref _malformedReports);
        return Task.CompletedTask;
    }
}
