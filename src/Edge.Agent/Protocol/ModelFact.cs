namespace Edge.Agent.Protocol;

/// <summary>An active model and its version.</summary>
internal sealed record ModelFact(string Name, string Version);
