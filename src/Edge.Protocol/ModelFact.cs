namespace Edge.Protocol;

/// <summary>An active model and its version.</summary>
/// <param name="Name">The model (package) name.</param>
/// <param name="Version">The model version (SemVer for packaged models).</param>
public sealed record ModelFact(string Name, string Version);
