using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Edge.Optimizer.Passes.Quantize;

/// <summary>Reads and writes <see cref="QuantizeOptions"/> as recipe JSON (camelCase, enums as names).</summary>
internal static class QuantizeOptionsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(new LowerCaseNamingPolicy()) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static JsonObject ToJson(QuantizeOptions options) =>
        JsonSerializer.SerializeToNode(options, Options)!.AsObject();

    /// <summary>Enum names as the CLI spells them: <c>uint8</c>, <c>minmax</c>, <c>static</c>.</summary>
    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }

    public static QuantizeOptions FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return json.Deserialize<QuantizeOptions>(Options) ?? throw new FormatException("Quantize options are null.");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"Quantize options in the recipe are invalid: {exception.Message}", exception);
        }
    }
}
