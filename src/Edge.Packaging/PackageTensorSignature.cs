namespace Edge.Packaging;

/// <summary>A model input or output: name, element type and shape.</summary>
public sealed class PackageTensorSignature
{
    /// <summary>The graph's name for the tensor.</summary>
    public string Name { get; init; } = "";

    /// <summary>Element type in ONNX's lowercase naming: <c>float32</c>, <c>float16</c>, <c>int64</c>, <c>uint8</c>, <c>string</c>...</summary>
    public string ElementType { get; init; } = "";

    /// <summary>Shape, outermost first. Symbolic dimensions keep their names (<c>N</c>); unnamed dynamic ones are <c>?</c>.</summary>
    public IReadOnlyList<PackageDimension> Shape { get; init; } = [];
}
