using System.Text.Json.Nodes;
using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>Joins a typed pass with the one options convention (<see cref="PassOptionsJson{TOptions}"/>).</summary>
/// <typeparam name="TOptions">The pass's options type.</typeparam>
internal sealed class PassDefinition<TOptions>(IOptimizationPass<TOptions> pass) : IPassDefinition
    where TOptions : class
{
    public PassDescriptor Descriptor => pass.Descriptor;

    public IReadOnlyList<string> OptionNames => PassOptionsJson<TOptions>.Names;

    public object ReadOptions(JsonObject options, string? baseDirectory) => PassOptionsJson<TOptions>.FromJson(options, baseDirectory);

    public JsonObject WriteOptions(object options) => PassOptionsJson<TOptions>.ToJson(Cast(options));

    public IReadOnlyList<string> Validate(object options) => pass.Validate(Cast(options));

    public IEnumerable<(string Option, string Path, RecipePathKind Kind)> Paths(object options) => PassOptionsJson<TOptions>.Paths(Cast(options));

    public Task<PassResult> RunAsync(OnnxModel input, object options, PassContext context, CancellationToken cancellationToken) =>
        pass.RunAsync(input, Cast(options), context, cancellationToken);

    private static TOptions Cast(object options) =>
        options as TOptions ?? throw new ArgumentException($"Options of type {options?.GetType().Name ?? "null"} do not belong to this pass; expected {typeof(TOptions).Name}.", nameof(options));
}
