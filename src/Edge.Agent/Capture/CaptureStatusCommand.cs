using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Commands;

namespace Edge.Agent.Capture;

/// <summary><c>capture-status</c>: the settings in force, what the ring holds and everything dropped, by cause.</summary>
internal sealed class CaptureStatusCommand : IAgentCommand
{
    private readonly CaptureRuntime _runtime;

    public CaptureStatusCommand(CaptureRuntime runtime) => _runtime = runtime;

    public string Name => "capture-status";

    public ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var (samples, bytes, models) = _runtime.Ring.Totals();
        var sampler = _runtime.Sampler;
        var result = CaptureConfigCommand.Describe(_runtime.Settings);
        result["samples"] = samples;
        result["bytes"] = bytes;
        result["models"] = Models(models);
        result["seen"] = sampler.Seen;
        result["sampled"] = sampler.Sampled;
        result["droppedQueueFull"] = sampler.DroppedQueueFull;
        result["droppedForBudget"] = _runtime.Ring.DroppedForBudget;
        result["corruptRemoved"] = _runtime.Ring.CorruptRemoved;
        result["unsupported"] = sampler.Unsupported;
        result["rawFramesKept"] = sampler.RawFramesKept;
        result["rawFramesTooLarge"] = sampler.RawFramesTooLarge;
        return ValueTask.FromResult<JsonNode?>(result);
    }

    internal static JsonObject Models(IReadOnlyDictionary<string, int> models)
    {
        var result = new JsonObject();
        foreach (var (model, count) in models.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            result[model] = count;
        }

        return result;
    }
}
