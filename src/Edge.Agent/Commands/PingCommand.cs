using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Agent.Commands;

/// <summary><c>ping</c>: answers with the time and how long the agent has run.</summary>
internal sealed class PingCommand : IAgentCommand
{
    private readonly TimeProvider _time;
    private readonly long _started;

    public PingCommand(TimeProvider time)
    {
        _time = time;
        _started = time.GetTimestamp();
    }

    public string Name => "ping";

    public ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JsonNode?>(new JsonObject
        {
            ["pong"] = true,
            ["ts"] = _time.GetUtcNow(),
            ["agentUptimeSeconds"] = Math.Round(_time.GetElapsedTime(_started).TotalSeconds, 3),
        });
}
