namespace Edge.TestUtilities.Otlp;

/// <summary>One data point of one metric as the receiver decoded it.</summary>
public sealed record OtlpMetricPoint(IReadOnlyDictionary<string, string> Resource, string Scope, string Name, string Unit, double Value, IReadOnlyDictionary<string, string> Attributes);
