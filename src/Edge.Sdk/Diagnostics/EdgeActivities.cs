namespace Edge.Sdk.Diagnostics;

/// <summary>
/// Names of the spans the SDK starts through <see cref="System.Diagnostics.ActivitySource"/>. Subscribe with an
/// <see cref="System.Diagnostics.ActivityListener"/> or OpenTelemetry's <c>AddSource(EdgeActivities.SourceName)</c>.
/// Without a listener no activity is created, so inference allocates nothing for tracing.
/// </summary>
public static class EdgeActivities
{
    /// <summary>The activity source name, "Edge.Sdk" (the same as <see cref="EdgeMetrics.MeterName"/>).</summary>
    public const string SourceName = "Edge.Sdk";

    /// <summary>
    /// One measured inference call (<c>EdgeSession</c> runs; warm-up runs are not traced). Internal kind, tagged
    /// with <see cref="EdgeMetrics.ModelTag"/>, <see cref="EdgeMetrics.VersionTag"/> and
    /// <see cref="EdgeMetrics.ProviderTag"/>; its status is Error, with the exception's type in
    /// <c>error.type</c>, when ONNX Runtime throws.
    /// </summary>
    public const string Inference = "edge.inference";

    /// <summary>The semantic-convention attribute holding the type of the error that ended an operation.</summary>
    public const string ErrorTypeTag = "error.type";
}
