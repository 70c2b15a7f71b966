namespace Edge.Packaging;

/// <summary>
/// A golden sample: model inputs with the outputs the model must produce. Each path names a package file holding
/// one ONNX <c>TensorProto</c>; inputs and outputs match the model's by position. An actual value <c>a</c> passes
/// against an expected <c>e</c> when <c>|a - e| &lt;= Atol + Rtol * |e|</c>.
/// </summary>
public sealed class PackageGoldenSample
{
    /// <summary>Sample name, unique in the package; also its folder, <c>golden/{Name}/</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Archive paths of the input tensors, <c>golden/{Name}/input_{K}.pb</c>, in model-input order.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Archive paths of the expected output tensors, <c>golden/{Name}/output_{K}.pb</c>, in model-output order.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Absolute tolerance, zero or more.</summary>
    public double Atol { get; init; }

    /// <summary>Relative tolerance, zero or more.</summary>
    public double Rtol { get; init; }
}
