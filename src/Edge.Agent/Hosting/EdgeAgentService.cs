using Edge.Agent.Commands;
using Edge.Agent.Mqtt;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Hosting;

/// <summary>
/// The agent's hosted service: opens the outbox, then runs the connection loop, the telemetry loop, outbox
/// delivery and the command worker side by side. On stop it publishes the retained <c>offline</c> status.
/// </summary>
internal sealed partial class EdgeAgentService : BackgroundService
{
    private readonly SqliteOutbox _outbox;
    private readonly MqttConnection _connection;
    private readonly TelemetryLoop _telemetry;
    private readonly TelemetryDelivery _delivery;
    private readonly CommandDispatcher _commands;
    private readonly TopicScheme _topics;
    private readonly ILogger<EdgeAgentService> _logger;

    public EdgeAgentService(
        SqliteOutbox outbox,
        MqttConnection connection,
        TelemetryLoop telemetry,
        TelemetryDelivery delivery,
        CommandDispatcher commands,
        TopicScheme topics,
        ILogger<EdgeAgentService> logger)
    {
        _outbox = outbox;
        _connection = connection;
        _telemetry = telemetry;
        _delivery = delivery;
        _commands = commands;
        _topics = topics;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Open before the loops start so a bad outbox path fails the start instead of a background task.
        await _outbox.OpenAsync(cancellationToken);
        var statistics = _outbox.Statistics;
        LogStarting(_logger, _topics.Prefix, _outbox.DatabasePath, statistics.Pending, statistics.DroppedTotal);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _connection.DisconnectGracefullyAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _connection.RunAsync(stoppingToken),
        _telemetry.RunAsync(stoppingToken),
        _delivery.RunAsync(stoppingToken),
        _commands.RunAsync(stoppingToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge agent starting for {Prefix}; outbox {Path} holds {Pending} records, {Dropped} dropped so far")]
    private static partial void LogStarting(ILogger logger, string prefix, string path, long pending, long dropped);
}
