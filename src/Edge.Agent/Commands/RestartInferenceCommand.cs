using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Agent.Commands;

/// <summary><c>restart-inference</c> with optional <c>{"model": "name"}</c>: hands the request to the host app's handler.</summary>
internal sealed class RestartInferenceCommand : IAgentCommand
{
    private readonly IInferenceRestartHandler _handler;

    public RestartInferenceCommand(IInferenceRestartHandler handler) => _handler = handler;

    public string Name => "restart-inference";

    public async ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var model = CommandArguments.String(arguments, "model");
        await _handler.RestartInferenceAsync(model, cancellationToken);
        return new JsonObject { ["accepted"] = true, ["model"] = model };
    }
}
