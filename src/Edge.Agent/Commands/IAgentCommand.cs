using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Agent.Commands;

/// <summary>A remote command: its name is the last topic level of <c>edge/{fleet}/{device}/cmd/{name}</c>.</summary>
internal interface IAgentCommand
{
    string Name { get; }

    /// <summary>Runs the command. <paramref name="arguments"/> is the request's <c>args</c> object, or undefined when absent.</summary>
    /// <exception cref="CommandArgumentException">The arguments are invalid; the response carries code <c>invalid-arguments</c>.</exception>
    ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken);
}
