using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Commands;

namespace Edge.Agent.Capture;

/// <summary>
/// <c>capture-config</c> with <c>{"enabled": bool, "sampleFraction"?, "maxSamples"?, "maxBytes"?, "rawFrames"?}</c>:
/// switches capture on or off, changes its bounds and whether raw frames are kept; kept across restarts. Answers the
/// settings in force.
/// </summary>
internal sealed class CaptureConfigCommand : IAgentCommand
{
    private readonly CaptureRuntime _runtime;

    public CaptureConfigCommand(CaptureRuntime runtime) => _runtime = runtime;

    public string Name => "capture-config";

    public async ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty("enabled", out var enabled) || enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new CommandArgumentException("Argument 'enabled' (true or false) is required.");
        }

        var current = _runtime.Settings;
        var fraction = current.SampleFraction;
        if (arguments.TryGetProperty("sampleFraction", out var given))
        {
            fraction = given.ValueKind == JsonValueKind.Number ? given.GetDouble()
                : throw new CommandArgumentException($"Argument 'sampleFraction' must be a number above 0 and at most 1; got {given.ValueKind} '{given}'.");
        }

        var maxSamples = CommandArguments.Int64(arguments, "maxSamples") ?? current.MaxSamples;
        var maxBytes = CommandArguments.Int64(arguments, "maxBytes") ?? current.MaxBytes;
        var rawFrames = current.RawFrames;
        if (arguments.TryGetProperty("rawFrames", out var raw))
        {
            rawFrames = raw.ValueKind is JsonValueKind.True or JsonValueKind.False ? raw.GetBoolean()
                : throw new CommandArgumentException($"Argument 'rawFrames' must be true or false; got {raw.ValueKind} '{raw}'.");
        }

        var errors = CaptureSettings.Errors(fraction, maxSamples, maxBytes, "");
        if (errors.Count > 0)
        {
            throw new CommandArgumentException("Argument " + string.Join(" Argument ", errors.Select(e => char.ToLowerInvariant(e[0]) + e[1..])));
        }

        var settings = await _runtime.ChangeAsync(new CaptureSettings(enabled.GetBoolean(), fraction, (int)maxSamples, maxBytes, rawFrames), cancellationToken);
        return Describe(settings);
    }

    internal static JsonObject Describe(CaptureSettings settings) => new()
    {
        ["enabled"] = settings.Enabled,
        ["sampleFraction"] = settings.SampleFraction,
        ["maxSamples"] = settings.MaxSamples,
        ["maxBytes"] = settings.MaxBytes,
        ["rawFrames"] = settings.RawFrames,
    };
}
