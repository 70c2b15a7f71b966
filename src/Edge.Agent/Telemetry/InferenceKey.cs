namespace Edge.Agent.Telemetry;

/// <summary>What inference figures are grouped by: model, version and execution provider.</summary>
internal readonly record struct InferenceKey(string Model, string Version, string Provider);
