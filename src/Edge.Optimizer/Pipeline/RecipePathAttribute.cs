namespace Edge.Optimizer.Pipeline;

/// <summary>
/// Marks an options property (a string, or a list of strings) that holds a path. Recipes store such paths absolute or
/// relative to the recipe file; <see cref="PassOptionsJson{TOptions}"/> resolves them when it reads a recipe, and the
/// runner checks that each still exists before the first step runs, so a moved dataset fails at once, naming the step
/// and the option.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class RecipePathAttribute(RecipePathKind kind) : Attribute
{
    public RecipePathKind Kind { get; } = kind;
}
