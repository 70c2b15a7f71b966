namespace Edge.TestUtilities.Otlp;

/// <summary>One span as the receiver decoded it; <see cref="StatusCode"/> 0 unset, 1 ok, 2 error.</summary>
public sealed record OtlpSpan(IReadOnlyDictionary<string, string> Resource, string Scope, string Name, IReadOnlyDictionary<string, string> Attributes, int StatusCode);
