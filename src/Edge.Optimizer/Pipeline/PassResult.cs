using System.Text.Json.Nodes;
using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>The output of a pass: the new model and the pass's section of the report (figures it measured).</summary>
/// <param name="Model">The transformed model; it passes <see cref="OnnxModel.Validate"/>. A pass that produces a file instead (pack) returns its input unchanged.</param>
/// <param name="Report">JSON written under the step's name in the report; every number in it was measured in this run.</param>
/// <param name="Warnings">Things the user should know that did not stop the pass (for example nodes left in float).</param>
internal sealed record PassResult(OnnxModel Model, JsonObject Report, IReadOnlyList<string> Warnings)
{
    /// <summary>The file a <see cref="ArtifactKind.Package"/> step wrote (at <see cref="PassContext.OutputPath"/>); null for model steps.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>Before/after figures the pass measured against its input, typed for the run's summary; null when it measured none.</summary>
    public StepComparison? Comparison { get; init; }

    /// <summary>Per-epoch training figures, for the report's training plot; empty for passes that do not train.</summary>
    public IReadOnlyList<TrainingPoint> Training { get; init; } = [];
}
