using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Protocol;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Commands;

/// <summary><c>get-config</c>: the effective settings, with the MQTT password and the local HTTP bearer token redacted, and the current telemetry interval.</summary>
internal sealed class GetConfigCommand : IAgentCommand
{
    private readonly EdgeAgentOptions _options;
    private readonly TelemetrySchedule _schedule;

    public GetConfigCommand(IOptions<EdgeAgentOptions> options, TelemetrySchedule schedule)
    {
        _options = options.Value;
        _schedule = schedule;
    }

    public string Name => "get-config";

    public ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var node = JsonSerializer.SerializeToNode(_options, AgentJsonContext.Default.EdgeAgentOptions)!.AsObject();
        var mqtt = node["mqtt"]!.AsObject();
        if (mqtt["password"] is not null)
        {
            mqtt["password"] = "***";
        }

        var http = node["http"]!.AsObject();
        if (http["bearerToken"] is not null)
        {
            http["bearerToken"] = "***";
        }

        node["telemetry"]!["interval"] = _schedule.Interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.FromResult<JsonNode?>(node);
    }
}
