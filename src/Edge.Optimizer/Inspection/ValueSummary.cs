namespace Edge.Optimizer.Inspection;

/// <summary>A graph input or output: name, element type and dims (numbers, symbolic names, or "?" when unknown).</summary>
/// <param name="Name">The value's name.</param>
/// <param name="Type">Element type such as <c>float</c>, or a non-tensor kind such as <c>sequence</c>, <c>map</c>.</param>
/// <param name="Dims">Each dimension as text; <see langword="null"/> when the rank is unknown.</param>
internal sealed record ValueSummary(string Name, string Type, IReadOnlyList<string>? Dims)
{
    /// <summary>"N x 3 x 224 x 224", "scalar", or "?" for unknown rank.</summary>
    public string ShapeText => Dims is null ? "?" : Dims.Count == 0 ? "scalar" : string.Join(" x ", Dims);
}
