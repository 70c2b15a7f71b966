using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// A replayable record of an optimization run: the input model, the ordered steps with their full options, and the
/// output. Every optimizing command writes one beside its output (<c>out.onnx.recipe.json</c>) and into its report,
/// so the exact run can be repeated and a model package's lineage can say how the model was made.
/// </summary>
internal sealed class Recipe
{
    /// <summary>The recipe schema identifier.</summary>
    public const string Schema = "edge.recipe/v1";

    public required string Input { get; init; }

    public required string Output { get; init; }

    public List<RecipeStep> Steps { get; init; } = [];

    public JsonObject ToJson() => new()
    {
        ["schema"] = Schema,
        ["input"] = Input,
        ["output"] = Output,
        ["steps"] = new JsonArray([.. Steps.Select(s => (JsonNode)new JsonObject { ["pass"] = s.Pass, ["options"] = s.Options.DeepClone() })]),
    };

    public static Recipe FromJson(JsonNode node)
    {
        var obj = node as JsonObject ?? throw new FormatException("A recipe must be a JSON object.");
        var schema = (string?)obj["schema"];
        if (schema != Schema)
        {
            throw new FormatException($"Recipe schema is '{schema ?? "(missing)"}'; expected '{Schema}'.");
        }

        var steps = (obj["steps"] as JsonArray ?? throw new FormatException("A recipe needs a 'steps' array."))
            .Select((s, i) => new RecipeStep(
                (string?)s?["pass"] ?? throw new FormatException($"Recipe step {i} has no 'pass' name."),
                s?["options"]?.DeepClone() as JsonObject ?? []))
            .ToList();
        return new Recipe
        {
            Input = (string?)obj["input"] ?? throw new FormatException("A recipe needs an 'input' model path."),
            Output = (string?)obj["output"] ?? throw new FormatException("A recipe needs an 'output' model path."),
            Steps = steps,
        };
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        var text = ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(path, text + "\n", cancellationToken);
    }
}
