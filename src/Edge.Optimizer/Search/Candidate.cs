using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Search;

/// <summary>One point of the search: a name, what it is, and the recipe steps that make it (none for the original).</summary>
/// <param name="Name">The name <c>--candidates</c> takes and the report shows, for example <c>static-u8s8-channel-percentile</c>.</param>
/// <param name="Description">One line for the report.</param>
/// <param name="Steps">The recipe's steps; empty for the original model.</param>
internal sealed record Candidate(string Name, string Description, IReadOnlyList<RecipeStep> Steps);
