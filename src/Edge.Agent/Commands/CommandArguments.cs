using System.Text.Json;

namespace Edge.Agent.Commands;

/// <summary>Reads optional typed members of a command's <c>args</c> object with clear errors.</summary>
internal static class CommandArguments
{
    public static long? Int64(JsonElement arguments, string name)
    {
        if (!TryGet(arguments, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new CommandArgumentException($"Argument '{name}' must be an integer; got {value.ValueKind} '{value}'.");
    }

    public static string? String(JsonElement arguments, string name)
    {
        if (!TryGet(arguments, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new CommandArgumentException($"Argument '{name}' must be a string; got {value.ValueKind} '{value}'.");
    }

    private static bool TryGet(JsonElement arguments, string name, out JsonElement value)
    {
        value = default;
        return arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(name, out value);
    }
}
