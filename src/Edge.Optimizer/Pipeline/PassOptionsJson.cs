using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Edge.Optimizer.Data;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// The one recipe convention for every pass's options: snake_case names (as in the reports), enums by the names the
/// CLI takes (<c>static</c>, <c>minmax</c>, <c>2:4</c>), every option written out, unknown options refused. Properties
/// marked <see cref="RecipePathAttribute"/> are resolved against the recipe's folder when read.
/// </summary>
/// <typeparam name="TOptions">A pass's options record.</typeparam>
internal static class PassOptionsJson<TOptions>
    where TOptions : class
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(new LowerCaseNamingPolicy(), allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static readonly Lazy<IReadOnlyList<(string Name, PropertyInfo Property, RecipePathKind Kind)>> PathProperties = new(FindPathProperties);

    /// <summary>The option names a recipe may use, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Options.GetTypeInfo(typeof(TOptions)).Properties.Select(p => p.Name)];

    public static JsonObject ToJson(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return JsonSerializer.SerializeToNode(options, Options)!.AsObject();
    }

    /// <summary>Reads options, naming the first option that is unknown or of the wrong type.</summary>
    /// <param name="json">The step's <c>options</c> object.</param>
    /// <param name="baseDirectory">Folder that relative paths are relative to (the recipe's), or null to leave them as written.</param>
    /// <exception cref="FormatException">An option is unknown, missing or not of its type.</exception>
    public static TOptions FromJson(JsonObject json, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var unknown = json.Select(p => p.Key).Where(k => !Names.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"unknown option{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known options are {string.Join(", ", Names)}");
        }

        TOptions options;
        try
        {
            options = json.Deserialize<TOptions>(Options) ?? throw new FormatException("the options are null; expected an object");
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? $"option '{path.TrimStart('$', '.')}': " : "";
            throw new FormatException($"{field}{FirstSentence(exception.Message)}", exception);
        }

        return baseDirectory is null ? options : ResolvePaths(options, baseDirectory);
    }

    /// <summary>Every path an options value names, with its option name and kind (lists give one entry per element).</summary>
    public static IEnumerable<(string Option, string Path, RecipePathKind Kind)> Paths(TOptions options)
    {
        foreach (var (name, property, kind) in PathProperties.Value)
        {
            foreach (var value in Values(property.GetValue(options)).Where(v => v.Length > 0))
            {
                yield return (name, kind == RecipePathKind.Dataset ? DatasetSpec.Parse(value).Path : value, kind);
            }
        }
    }

    private static TOptions ResolvePaths(TOptions options, string baseDirectory)
    {
        // Round-trip through JSON so init-only properties of records can be replaced without per-type code.
        var json = ToJson(options);
        foreach (var (name, property, kind) in PathProperties.Value)
        {
            json[name] = property.GetValue(options) switch
            {
                string single => Resolve(single, kind, baseDirectory),
                IEnumerable<string> many => new JsonArray([.. many.Select(v => (JsonNode)Resolve(v, kind, baseDirectory))]),
                _ => json[name]?.DeepClone(),
            };
        }

        return json.Deserialize<TOptions>(Options)!;
    }

    private static string Resolve(string value, RecipePathKind kind, string baseDirectory)
    {
        if (value.Length == 0)
        {
            return value;
        }

        if (kind != RecipePathKind.Dataset)
        {
            return Path.GetFullPath(value, baseDirectory);
        }

        return DatasetSpec.Parse(value).WithFullPath(baseDirectory).ToString();
    }

    private static IEnumerable<string> Values(object? value) => value switch
    {
        string single => [single],
        IEnumerable<string> many => many,
        _ => [],
    };

    private static List<(string, PropertyInfo, RecipePathKind)> FindPathProperties()
    {
        var info = Options.GetTypeInfo(typeof(TOptions));
        var list = new List<(string, PropertyInfo, RecipePathKind)>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<RecipePathAttribute>() is { } attribute)
            {
                var name = info.Properties.First(p => Equals(p.AttributeProvider as PropertyInfo, property)).Name;
                list.Add((name, property, attribute.Kind));
            }
        }

        return list;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    /// <summary>Enum names as the CLI spells them: <c>uint8</c>, <c>minmax</c>, <c>static</c>; attributes name the rest.</summary>
    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}
