using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// One optimization pass: a pure transform from a model to a new model, with typed, validated options.
/// A pass never modifies its input model; it returns a new one together with its report section.
/// </summary>
/// <typeparam name="TOptions">The pass's options type, serialized into recipes as the step's <c>options</c>.</typeparam>
internal interface IOptimizationPass<TOptions>
    where TOptions : class
{
    /// <summary>What the pass is and needs; the registry lists it.</summary>
    PassDescriptor Descriptor { get; }

    /// <summary>Every problem with <paramref name="options"/>, all at once; empty when they are valid.</summary>
    IReadOnlyList<string> Validate(TOptions options);

    /// <summary>Transforms <paramref name="input"/> and reports what was done and measured.</summary>
    Task<PassResult> RunAsync(OnnxModel input, TOptions options, PassContext context, CancellationToken cancellationToken);
}
