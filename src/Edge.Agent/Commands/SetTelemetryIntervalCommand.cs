using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Telemetry;

namespace Edge.Agent.Commands;

/// <summary><c>set-telemetry-interval</c> with <c>{"intervalMs": n}</c>: changes the sampling interval at once.</summary>
internal sealed class SetTelemetryIntervalCommand : IAgentCommand
{
    private readonly TelemetrySchedule _schedule;

    public SetTelemetryIntervalCommand(TelemetrySchedule schedule) => _schedule = schedule;

    public string Name => "set-telemetry-interval";

    public ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var milliseconds = CommandArguments.Int64(arguments, "intervalMs")
            ?? throw new CommandArgumentException("Argument 'intervalMs' (integer milliseconds) is required.");
        var minimum = (long)TelemetrySchedule.MinimumInterval.TotalMilliseconds;
        var maximum = (long)TelemetrySchedule.MaximumInterval.TotalMilliseconds;
        if (milliseconds < minimum || milliseconds > maximum)
        {
            throw new CommandArgumentException($"Argument 'intervalMs' must be between {minimum} and {maximum}; got {milliseconds}.");
        }

        var previous = _schedule.Change(TimeSpan.FromMilliseconds(milliseconds));
        return ValueTask.FromResult<JsonNode?>(new JsonObject
        {
            ["intervalMs"] = milliseconds,
            ["previousIntervalMs"] = (long)previous.TotalMilliseconds,
        });
    }
}
