using System.Text.Json.Nodes;

namespace Edge.Agent.Protocol;

/// <summary>Response to a command, schema <c>edge.command-response/1</c>.</summary>
internal sealed record CommandResponse
{
    public string Schema { get; init; } = ProtocolSchemas.CommandResponse;

    public string? CorrelationId { get; init; }

    public required string Command { get; init; }

    public required bool Ok { get; init; }

    public JsonNode? Result { get; init; }

    public CommandError? Error { get; init; }
}
