using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Optimizer.Pipeline.Measurement;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// A replayable record of an optimization run: the input model, the ordered steps with their full options, an
/// optional measurement section and the output. Every optimizing command writes one beside its output
/// (<c>out.onnx.recipe.json</c>, paths absolute) and <c>edge-optimize run</c> replays it; hand-written recipes may use
/// paths relative to the recipe file.
/// </summary>
internal sealed class Recipe
{
    /// <summary>The recipe schema this version reads and writes.</summary>
    public const string Schema = "edge.recipe/v2";

    private const string SchemaPrefix = "edge.recipe/v";

    public required string Input { get; init; }

    /// <summary>The final artifact: a model (<c>.onnx</c>), or a package when the last step is <c>pack</c>.</summary>
    public required string Output { get; init; }

    public IReadOnlyList<RecipeStep> Steps { get; init; } = [];

    /// <summary>Side-by-side measurement against the original after the last step; null: sizes only.</summary>
    public MeasureOptions? Measure { get; init; }

    /// <summary>The folder relative paths in the steps' options resolve against; null: as written (the current folder).</summary>
    public string? BaseDirectory { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["schema"] = Schema,
            ["input"] = Input,
            ["output"] = Output,
        };
        if (Measure is not null)
        {
            json["measure"] = PassOptionsJson<MeasureOptions>.ToJson(Measure);
        }

        json["steps"] = new JsonArray([.. Steps.Select(s => (JsonNode)new JsonObject { ["pass"] = s.Pass, ["options"] = s.Options.DeepClone() })]);
        return json;
    }

    /// <summary>Reads a recipe; <paramref name="baseDirectory"/> is the folder relative paths are relative to.</summary>
    /// <exception cref="RecipeException">The recipe is not one this version can run; the message names the field.</exception>
    public static Recipe FromJson(JsonNode? node, string? baseDirectory = null)
    {
        var obj = node as JsonObject ?? throw new RecipeException("a recipe must be a JSON object");
        CheckSchema(obj["schema"]);
        var unknown = obj.Select(p => p.Key).Except(["schema", "input", "output", "measure", "steps"]).ToList();
        if (unknown.Count > 0)
        {
            throw new RecipeException($"unknown recipe field{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; expected schema, input, output, measure and steps");
        }

        var steps = (obj["steps"] as JsonArray ?? throw new RecipeException("a recipe needs a 'steps' array"))
            .Select((s, i) => new RecipeStep(
                (s?["pass"] as JsonValue)?.TryGetValue<string>(out var pass) == true ? pass : throw new RecipeException($"step {i + 1} has no 'pass' name"),
                s?["options"] switch
                {
                    null => [],
                    JsonObject options => (JsonObject)options.DeepClone(),
                    _ => throw new RecipeException($"step {i + 1} ({s["pass"]}): 'options' must be an object"),
                }))
            .ToList();
        if (steps.Count == 0)
        {
            throw new RecipeException("a recipe needs at least one step");
        }

        MeasureOptions? measure = null;
        if (obj["measure"] is { } measureNode)
        {
            try
            {
                measure = PassOptionsJson<MeasureOptions>.FromJson(measureNode as JsonObject ?? throw new FormatException("it must be an object"), baseDirectory);
            }
            catch (FormatException exception) when (exception is not RecipeException)
            {
                throw new RecipeException($"measure: {exception.Message}", exception);
            }
        }

        return new Recipe
        {
            Input = ResolvePath(Text(obj, "input", "the input model's path"), baseDirectory),
            Output = ResolvePath(Text(obj, "output", "the output path"), baseDirectory),
            Steps = steps,
            Measure = measure,
            BaseDirectory = baseDirectory,
        };
    }

    /// <summary>Reads a recipe file; relative paths in it are relative to its folder.</summary>
    public static async Task<Recipe> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Recipe '{full}' {Edge.Sdk.IO.PathProblem.ForFile(full)}.", full);
        }

        var info = new FileInfo(full);
        if (info.Length > 16 << 20)
        {
            throw new RecipeException($"recipe '{full}' is {info.Length:N0} bytes; a recipe is at most 16 MiB");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(await File.ReadAllTextAsync(full, cancellationToken));
        }
        catch (JsonException exception)
        {
            throw new RecipeException($"recipe '{full}' is not valid JSON: {exception.Message}", exception);
        }

        return FromJson(node, Path.GetDirectoryName(full));
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        var text = ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text + "\n", cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static void CheckSchema(JsonNode? node)
    {
        var schema = node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (schema == Schema)
        {
            return;
        }

        if (schema is not null && schema.StartsWith(SchemaPrefix, StringComparison.Ordinal) && int.TryParse(schema.AsSpan(SchemaPrefix.Length), out var version))
        {
            throw new RecipeException(version > 2
                ? $"the recipe's schema is '{schema}', written by a newer edge-optimize; this version reads '{Schema}' (update the tool)"
                : $"the recipe's schema is '{schema}', written before recipes could be replayed; run the command again to write a '{Schema}' recipe");
        }

        throw new RecipeException($"the recipe's schema is '{schema ?? "(missing)"}'; expected '{Schema}'");
    }

    private static string Text(JsonObject obj, string name, string what) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new RecipeException($"a recipe needs '{name}', {what}");

    private static string ResolvePath(string path, string? baseDirectory) =>
        baseDirectory is null ? Path.GetFullPath(path) : Path.GetFullPath(path, baseDirectory);
}
