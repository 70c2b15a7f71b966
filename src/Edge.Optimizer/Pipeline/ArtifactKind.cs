namespace Edge.Optimizer.Pipeline;

/// <summary>What a pipeline step reads and writes, so a recipe whose steps do not fit together is refused before it runs.</summary>
internal enum ArtifactKind
{
    /// <summary>An ONNX model (<c>.onnx</c>).</summary>
    Model,

    /// <summary>A signed model package (<c>.edgepkg</c>); nothing in the optimizer transforms it further.</summary>
    Package,
}
