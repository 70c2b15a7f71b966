namespace Edge.Sdk.Diagnostics;

/// <summary>
/// Names of what the SDK measures through <see cref="System.Diagnostics.Metrics"/>. Subscribe with a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> or OpenTelemetry's <c>AddMeter(EdgeMetrics.MeterName)</c>.
/// Every instrument carries the tags <see cref="ModelTag"/>, <see cref="VersionTag"/> and <see cref="ProviderTag"/>.
/// Units follow the OpenTelemetry semantic conventions: durations are in seconds (unit <c>s</c>). Traces:
/// <see cref="EdgeActivities"/>.
/// </summary>
public static class EdgeMetrics
{
    /// <summary>The meter name, "Edge.Sdk".</summary>
    public const string MeterName = "Edge.Sdk";

    /// <summary>
    /// Histogram (double, seconds, unit <c>s</c>): wall time of each successful inference call, measured with the
    /// session's TimeProvider. It was milliseconds before OpenTelemetry export; a listener that wants milliseconds
    /// multiplies by 1000 (the agent does, for its telemetry JSON).
    /// </summary>
    public const string InferenceDuration = "edge.inference.duration";

    /// <summary>Counter (long): inference calls started, successful or not.</summary>
    public const string InferenceCalls = "edge.inference.calls";

    /// <summary>Counter (long): inference calls that threw (ONNX Runtime errors and cancellations; input validation errors are not calls).</summary>
    public const string InferenceErrors = "edge.inference.errors";

    /// <summary>Up-down counter (long): requests waiting in a <see cref="Inference.MicroBatcher{TInput, TOutput}"/> queue.</summary>
    public const string QueueLength = "edge.inference.queue_length";

    /// <summary>Tag holding the model name.</summary>
    public const string ModelTag = "edge.model.name";

    /// <summary>Tag holding the model version.</summary>
    public const string VersionTag = "edge.model.version";

    /// <summary>Tag holding the execution provider that ran the call (TensorRT, Cuda or Cpu).</summary>
    public const string ProviderTag = "edge.provider";
}
