using Edge.Optimizer.Passes.Distill;
using Edge.Optimizer.Passes.Pack;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Quantize;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// Maps each recipe step name to its pass, options convention and validation. The CLI commands and
/// <c>edge-optimize run</c> find passes here only, so a recipe can name exactly what the commands can do.
/// </summary>
internal sealed class PassRegistry
{
    private readonly Dictionary<string, IPassDefinition> _passes = new(StringComparer.Ordinal);

    /// <summary>The passes this tool ships: quantize, prune, distill and pack.</summary>
    public static PassRegistry Default { get; } = CreateDefault();

    /// <summary>Every registered pass, in registration order.</summary>
    public IReadOnlyList<IPassDefinition> Passes => [.. _passes.Values];

    /// <summary>Adds a pass; its <see cref="PassDescriptor.Name"/> must be new.</summary>
    public PassRegistry Add<TOptions>(IOptimizationPass<TOptions> pass)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (!_passes.TryAdd(pass.Descriptor.Name, new PassDefinition<TOptions>(pass)))
        {
            throw new ArgumentException($"A pass named '{pass.Descriptor.Name}' is already registered.", nameof(pass));
        }

        return this;
    }

    /// <summary>The pass named <paramref name="name"/>.</summary>
    /// <exception cref="RecipeException">No pass has that name; the message lists the known ones.</exception>
    public IPassDefinition Get(string name) =>
        _passes.TryGetValue(name, out var pass)
            ? pass
            : throw new RecipeException($"unknown pass '{name}'; known passes are {string.Join(", ", _passes.Keys)}");

    private static PassRegistry CreateDefault() => new PassRegistry()
        .Add(new QuantizePass())
        .Add(new PrunePass())
        .Add(new DistillPass())
        .Add(new PackPass(TimeProvider.System));
}
