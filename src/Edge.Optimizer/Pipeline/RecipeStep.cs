using System.Text.Json.Nodes;

namespace Edge.Optimizer.Pipeline;

/// <summary>One step of a <see cref="Recipe"/>: a pass name and its options as JSON.</summary>
internal sealed record RecipeStep(string Pass, JsonObject Options);
