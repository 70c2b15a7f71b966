using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Edge.Optimizer.Reports;

/// <summary>
/// The one way the optimizer writes JSON reports and results. JSON has no NaN or infinity, and a measurement can be
/// either (an SQNR of +∞ for a layer quantized exactly, a ratio over a zero time), so every non-finite number is
/// written as <c>null</c>, and in an object a sibling <c>&lt;name&gt;_nonfinite</c> says which value it was
/// (<c>"NaN"</c>, <c>"Infinity"</c> or <c>"-Infinity"</c>). Array elements become <c>null</c> alone.
/// </summary>
public static class ReportJson
{
    /// <summary>The suffix of the key that names a non-finite value written as null.</summary>
    public const string NonFiniteSuffix = "_nonfinite";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Records = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>A record or list as a report node with snake_case keys, its non-finite numbers handled as described above.</summary>
    public static JsonNode? ToNode<T>(T value) => Finite(JsonSerializer.SerializeToNode(value, Records), namedLiterals: true);

    /// <summary>The report as indented JSON with a final newline; the caller's tree is not changed.</summary>
    public static string Write(JsonNode report) => Text(report, indented: true) + "\n";

    /// <summary>The report as JSON text, indented or on one line; the caller's tree is not changed.</summary>
    public static string Text(JsonNode report, bool indented)
    {
        ArgumentNullException.ThrowIfNull(report);
        var copy = Finite(report.DeepClone(), namedLiterals: false)!;
        return copy.ToJsonString(indented ? Indented : Compact);
    }

    /// <summary>Replaces every non-finite number in <paramref name="node"/> (in place) and returns it.</summary>
    public static JsonNode? Finite(JsonNode? node) => Finite(node, namedLiterals: false);

    /// <summary>The name of a non-finite value of a number node, or null when it is finite or not a number.</summary>
    public static string? NonFiniteName(JsonNode? node, bool namedLiterals = false)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        double? number = value.TryGetValue<double>(out var d) ? d : value.TryGetValue<float>(out var f) ? f : null;
        if (number is { } n)
        {
            return double.IsFinite(n) ? null : double.IsNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
        }

        return namedLiterals && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "NaN" or "Infinity" or "-Infinity"
            ? value.GetValue<string>()
            : null;
    }

    private static JsonNode? Finite(JsonNode? node, bool namedLiterals)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (NonFiniteName(child, namedLiterals) is { } name)
                    {
                        obj[key] = null;
                        obj[key + NonFiniteSuffix] = name;
                    }
                    else
                    {
                        Finite(child, namedLiterals);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (NonFiniteName(array[i], namedLiterals) is not null)
                    {
                        array[i] = null;
                    }
                    else
                    {
                        Finite(array[i], namedLiterals);
                    }
                }

                break;
        }

        return node;
    }
}
