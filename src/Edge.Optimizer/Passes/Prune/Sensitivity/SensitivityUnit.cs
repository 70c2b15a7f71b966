namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>Something sensitivity analysis prunes on its own: a channel group or a layer.</summary>
/// <param name="Key">Stable id (a channel group's root, or a layer name).</param>
/// <param name="Label">What a person reads in the report.</param>
/// <param name="Size">Channels or weights it holds, which weight its share of the global target.</param>
internal sealed record SensitivityUnit(string Key, string Label, long Size);
