using Edge.Agent.Mqtt;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota;

/// <summary>
/// Publishes the retained <c>online</c> status again whenever the served model changes, so the fleet's inventory
/// (<c>edge-fleet devices</c>, Model column) shows the model OTA activated or rolled back to, not only what the birth
/// message said at connect. Offline at that moment: the next connect's birth message carries it.
/// </summary>
internal sealed partial class ServedModelAnnouncer
{
    private readonly ActiveModel _model;
    private readonly MqttConnection _connection;
    private readonly StatusMessages _status;
    private readonly ILogger<ServedModelAnnouncer> _logger;
    private int _attached;

    public ServedModelAnnouncer(ActiveModel model, MqttConnection connection, StatusMessages status, ILogger<ServedModelAnnouncer> logger)
    {
        _model = model;
        _connection = connection;
        _status = status;
        _logger = logger;
    }

    /// <summary>Starts following the served model; once.</summary>
    public void Attach()
    {
        if (Interlocked.Exchange(ref _attached, 1) == 0)
        {
            _model.Changed += () => _ = AnnounceAsync();
        }
    }

    private async Task AnnounceAsync()
    {
        if (!_connection.IsConnected)
        {
            return;
        }

        try
        {
            await _connection.PublishAsync(_status.Online(), CancellationToken.None);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MqttPublishRefusedException or InvalidOperationException or OperationCanceledException)
        {
            LogAnnounceFailed(_logger, _model.Name ?? "-", _model.Version ?? "-", e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not republish the status for served model {Name}@{Version} ({Error}); the next connect's birth message carries it")]
    private static partial void LogAnnounceFailed(ILogger logger, string name, string version, string error);
}
