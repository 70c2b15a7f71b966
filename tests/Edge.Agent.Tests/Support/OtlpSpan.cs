namespace Edge.Agent.Tests.Support;

/// <summary>One span as the receiver decoded it; <see cref="StatusCode"/> 0 unset, 1 ok, 2 error.</summary>
internal sealed record OtlpSpan(IReadOnlyDictionary<string, string> Resource, string Scope, string Name, IReadOnlyDictionary<string, string> Attributes, int StatusCode);
