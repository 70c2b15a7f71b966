namespace Edge.Agent.Ota.Shadow;

/// <summary>How one shadow sample compared: whether the candidate agreed, a 0-1 closeness score, and what differed.</summary>
internal readonly record struct ShadowVerdict(bool Agrees, double Score, string? Detail);
