using System.Text.Json;
using Edge.Agent.Hosting;
using Edge.Agent.Mqtt;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Agent.Ota;

/// <summary>
/// Publishes job state reports, retained, on <c>edge/{fleet}/{device}/ota/state</c>. Reports wait in memory while the
/// broker is unreachable and go out in order after reconnecting; unsent progress reports of one state are coalesced
/// into the latest, every state change is kept. The journal on disk, not this queue, is what survives a restart:
/// the callback given to <see cref="RunAsync"/> hears of each report the broker acknowledged, so the journal can
/// tell which outcomes a restarted agent still owes the fleet.
/// </summary>
internal sealed partial class OtaStateReporter
{
    private readonly MqttConnection _connection;
    private readonly TopicScheme _topics;
    private readonly TimeProvider _time;
    private readonly ILogger<OtaStateReporter> _logger;
    private readonly List<OtaJobStateReport> _pending = [];
    private readonly Lock _lock = new();
    private readonly AsyncSignal _signal = new();

    public OtaStateReporter(MqttConnection connection, TopicScheme topics, TimeProvider time, ILogger<OtaStateReporter> logger)
    {
        _connection = connection;
        _topics = topics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised for every report as it is queued (in-process observers such as tests and the app).</summary>
    public event Action<OtaJobStateReport>? Reported;

    public OtaJobStateReport Create(string jobId, string state) => new()
    {
        JobId = jobId,
        Fleet = _topics.FleetId,
        Device = _topics.DeviceId,
        State = state,
        Timestamp = _time.GetUtcNow(),
    };

    public void Post(OtaJobStateReport report)
    {
        lock (_lock)
        {
            // Progress within one state is coalesced; every state change is kept and published in order.
            if (_pending.Count > 0 && _pending[^1] is { } last && last.JobId == report.JobId && last.State == report.State && last.Phase == report.Phase)
            {
                _pending[^1] = report;
            }
            else
            {
                _pending.Add(report);
            }
        }

        LogState(_logger, report.JobId, report.State, StateDetail(report.Phase, report.Reason));
        Reported?.Invoke(report);
        _signal.Set();
    }

    public async Task RunAsync(Func<OtaJobStateReport, CancellationToken, Task> delivered, CancellationToken cancellationToken)
    {
        var topic = OtaTopics.State(_topics.FleetId, _topics.DeviceId);
        while (!cancellationToken.IsCancellationRequested)
        {
            OtaJobStateReport? next;
            lock (_lock)
            {
                next = _pending.Count > 0 ? _pending[0] : null;
            }

            if (next is null)
            {
                await _signal.WaitAsync(TimeSpan.FromSeconds(30), _time, cancellationToken);
                continue;
            }

            try
            {
                await _connection.WhenConnectedAsync(cancellationToken);
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(JsonSerializer.SerializeToUtf8Bytes(next, OtaJsonContext.Default.OtaJobStateReport))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainFlag()
                    .Build();
                await _connection.PublishAsync(message, cancellationToken);
                lock (_lock)
                {
                    _pending.Remove(next);
                }

                await delivered(next, cancellationToken);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MqttPublishRefusedException or InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                // A report that cannot be published at all must not block the ones behind it. A terminal one stays
                // undelivered in the journal and is sent again after the next start.
                LogDropped(_logger, next.JobId, next.State, e);
                lock (_lock)
                {
                    _pending.Remove(next);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA job {JobId}: the {State} report could not be published and is dropped")]
    private static partial void LogDropped(ILogger logger, string jobId, string state, Exception exception);

    /// <summary>What follows the state in the log line; empty when the report has neither a phase nor a reason (never "(null)").</summary>
    internal static string StateDetail(string? phase, string? reason) => (phase, reason) switch
    {
        (null, null) => string.Empty,
        (null, _) => ": " + reason,
        (_, null) => " (" + phase + ")",
        _ => " (" + phase + "): " + reason,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA job {JobId}: {State}{Detail}")]
    private static partial void LogState(ILogger logger, string jobId, string state, string detail);
}
