using System.Text.Json.Nodes;

namespace Edge.Protocol;

/// <summary>Response to a command, schema <c>edge.command-response/1</c>.</summary>
public sealed record CommandResponse
{
    /// <summary>Always <see cref="ProtocolSchemas.CommandResponse"/>.</summary>
    public string Schema { get; init; } = ProtocolSchemas.CommandResponse;

    /// <summary>The request's correlation id (MQTT 5 correlation data or the payload's <c>correlationId</c>); null when the request had none or could not be parsed.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The command name the response answers.</summary>
    public required string Command { get; init; }

    /// <summary>True when the command ran; then <see cref="Result"/> may hold its output and <see cref="Error"/> is null.</summary>
    public required bool Ok { get; init; }

    /// <summary>The command's output, shaped per command (docs/protocol.md); null when it has none or failed.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>Why the command failed; null when <see cref="Ok"/>.</summary>
    public CommandError? Error { get; init; }
}
