namespace Edge.Agent.Inference;

/// <summary>A parsed infer request: its inputs, the outputs asked for (null for all) and the caller's id, echoed back.</summary>
internal sealed record InferRequest(IReadOnlyList<InputTensor> Inputs, IReadOnlyList<string>? Outputs, string? Id);
