using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Diagnostics;
using Edge.Agent.Mqtt;
using Edge.Agent.Protocol;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;

namespace Edge.Agent.Commands;

/// <summary>
/// <c>collect-diagnostics</c> with optional <c>{"maxLogRecords": n}</c>: recent log records from the in-memory ring
/// buffer, the latest telemetry sample, outbox and connection state.
/// </summary>
internal sealed class CollectDiagnosticsCommand : IAgentCommand
{
    private const int DefaultLogRecords = 100;

    private readonly LogRingBuffer _logs;
    private readonly TelemetrySampler _sampler;
    private readonly OutboxStatistics _outbox;
    private readonly MqttConnection _connection;
    private readonly CommandInbox _inbox;

    public CollectDiagnosticsCommand(LogRingBuffer logs, TelemetrySampler sampler, OutboxStatistics outbox, MqttConnection connection, CommandInbox inbox)
    {
        _logs = logs;
        _sampler = sampler;
        _outbox = outbox;
        _connection = connection;
        _inbox = inbox;
    }

    public string Name => "collect-diagnostics";

    public ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var maximum = CommandArguments.Int64(arguments, "maxLogRecords") ?? DefaultLogRecords;
        if (maximum < 0 || maximum > _logs.Capacity)
        {
            throw new CommandArgumentException($"Argument 'maxLogRecords' must be between 0 and {_logs.Capacity}; got {maximum}.");
        }

        var latest = _sampler.Latest;
        var outbox = _outbox.Snapshot();
        return ValueTask.FromResult<JsonNode?>(new JsonObject
        {
            ["logs"] = JsonSerializer.SerializeToNode(_logs.Recent((int)maximum), AgentJsonContext.Default.IReadOnlyListLogRecordPayload),
            ["metrics"] = latest is null ? null : JsonSerializer.SerializeToNode(latest, AgentJsonContext.Default.TelemetrySample),
            ["outbox"] = new JsonObject
            {
                ["pending"] = outbox.Pending,
                ["pendingBytes"] = outbox.PendingBytes,
                ["droppedTotal"] = outbox.DroppedTotal,
            },
            ["connection"] = new JsonObject
            {
                ["connected"] = _connection.IsConnected,
                ["connections"] = _connection.ConnectionCount,
                ["protocol"] = _connection.ProtocolVersion.ToString(),
            },
            ["commandsBusy"] = _inbox.Refused,
            ["commandsDropped"] = _inbox.Dropped,
        });
    }
}
