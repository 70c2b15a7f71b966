using System.Text.Json.Nodes;

namespace Edge.Optimizer.Pipeline;

/// <summary>One step of a finished run: what it ran with, what it wrote and what it reported.</summary>
/// <param name="Index">1-based step number.</param>
/// <param name="Pass">The pass name.</param>
/// <param name="Options">The step's options as recipe JSON.</param>
/// <param name="OutputPath">The model (or package) the step wrote.</param>
/// <param name="Produces">Whether that file is a model or a package.</param>
/// <param name="Result">The pass's result; null for a step done in an earlier run and skipped by <c>--from-step</c>.</param>
internal sealed record StepOutcome(int Index, string Pass, JsonObject Options, string OutputPath, ArtifactKind Produces, PassResult? Result);
