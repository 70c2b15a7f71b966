namespace Edge.Quickstart.Optimization;

/// <summary>The models one run makes, by role. v3 is made later, from the distilled student.</summary>
internal sealed record OptimizedModels(string Original, string V1Int8, string V2Pruned, string V2Distilled);
