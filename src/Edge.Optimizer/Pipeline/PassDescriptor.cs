namespace Edge.Optimizer.Pipeline;

/// <summary>Registry metadata about a pass: its recipe name, whether it needs data, and what it reads and produces.</summary>
/// <param name="Name">The step name in recipes and the CLI command, for example <c>quantize</c>.</param>
/// <param name="Summary">One line for help and reports.</param>
/// <param name="NeedsData">Whether the pass reads a dataset (calibration, training or evaluation).</param>
/// <param name="Precisions">Element types the pass can produce, for example <c>int8</c>, <c>fp16</c>, <c>fp32</c>.</param>
/// <param name="Targets">Execution targets the output is meant for, for example <c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>.</param>
/// <param name="Consumes">What the step reads: every pass so far reads a model.</param>
/// <param name="Produces">What the step writes: a model, or a package that ends the recipe.</param>
internal sealed record PassDescriptor(
    string Name,
    string Summary,
    bool NeedsData,
    IReadOnlyList<string> Precisions,
    IReadOnlyList<string> Targets,
    ArtifactKind Consumes = ArtifactKind.Model,
    ArtifactKind Produces = ArtifactKind.Model);
