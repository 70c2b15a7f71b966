using System.Text.Json.Nodes;
using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>The output of a pass: the new model and the pass's section of the report (figures it measured).</summary>
/// <param name="Model">The transformed model; it passes <see cref="OnnxModel.Validate"/>.</param>
/// <param name="Report">JSON written under the step's name in the report; every number in it was measured in this run.</param>
/// <param name="Warnings">Things the user should know that did not stop the pass (for example nodes left in float).</param>
internal sealed record PassResult(OnnxModel Model, JsonObject Report, IReadOnlyList<string> Warnings);
