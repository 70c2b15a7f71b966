using System.Text.Json.Nodes;
using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// A registered pass, seen without its options type: the runner reads a step's options, validates them, checks the
/// paths they name and runs the pass through this one contract. <see cref="PassDefinition{TOptions}"/> implements it.
/// </summary>
internal interface IPassDefinition
{
    /// <summary>What the pass is, needs and produces.</summary>
    PassDescriptor Descriptor { get; }

    /// <summary>The option names a recipe step may use.</summary>
    IReadOnlyList<string> OptionNames { get; }

    /// <summary>Reads a step's options; relative paths resolve against <paramref name="baseDirectory"/> when it is given.</summary>
    /// <exception cref="FormatException">An option is unknown, missing or not of its type; the message names it.</exception>
    object ReadOptions(JsonObject options, string? baseDirectory);

    /// <summary>Writes options back as recipe JSON.</summary>
    JsonObject WriteOptions(object options);

    /// <summary>Every problem with <paramref name="options"/>, all at once; empty when they are valid.</summary>
    IReadOnlyList<string> Validate(object options);

    /// <summary>The paths the options name, to check before anything runs.</summary>
    IEnumerable<(string Option, string Path, RecipePathKind Kind)> Paths(object options);

    /// <summary>Runs the pass.</summary>
    Task<PassResult> RunAsync(OnnxModel input, object options, PassContext context, CancellationToken cancellationToken);
}
