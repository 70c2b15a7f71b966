namespace Edge.Agent.Telemetry;

/// <summary>
/// The metrics contract with Edge.Sdk: the meter and instrument names the SDK publishes (its public
/// <see cref="Edge.Sdk.Diagnostics.EdgeMetrics"/> constants) and the agent listens to, plus what only the agent reads:
/// the unit conversion and the per-device tag of multi-device hosts.
/// </summary>
internal static class SdkInstrumentNames
{
    /// <summary>Name of the SDK's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = Edge.Sdk.Diagnostics.EdgeMetrics.MeterName;

    /// <summary>
    /// Histogram&lt;double&gt;: duration of one inference, in seconds (unit "s", the OpenTelemetry convention). Older
    /// builds of the SDK, and some hosts' own instruments, record milliseconds with unit "ms": read values through
    /// <see cref="DurationMilliseconds"/>, which looks at the unit.
    /// </summary>
    public const string InferenceDuration = Edge.Sdk.Diagnostics.EdgeMetrics.InferenceDuration;

    /// <summary>The instrument unit that means seconds; any other unit is taken as milliseconds.</summary>
    public const string SecondsUnit = "s";

    /// <summary>A duration measurement in milliseconds (the telemetry JSON's unit), whichever unit the instrument declares.</summary>
    public static double DurationMilliseconds(System.Diagnostics.Metrics.Instrument instrument, double value) =>
        instrument.Unit == SecondsUnit ? value * 1000 : value;

    /// <summary>Counter&lt;long&gt;: inference calls.</summary>
    public const string InferenceCalls = Edge.Sdk.Diagnostics.EdgeMetrics.InferenceCalls;

    /// <summary>Counter&lt;long&gt;: failed inference calls.</summary>
    public const string InferenceErrors = Edge.Sdk.Diagnostics.EdgeMetrics.InferenceErrors;

    /// <summary>UpDownCounter&lt;long&gt;: requests waiting for a session.</summary>
    public const string InferenceQueueLength = Edge.Sdk.Diagnostics.EdgeMetrics.QueueLength;

    /// <summary>Tag: model name.</summary>
    public const string ModelNameTag = Edge.Sdk.Diagnostics.EdgeMetrics.ModelTag;

    /// <summary>Tag: model version.</summary>
    public const string ModelVersionTag = Edge.Sdk.Diagnostics.EdgeMetrics.VersionTag;

    /// <summary>
    /// Optional tag: the device a measurement belongs to. The SDK does not set it; hosts that run several devices'
    /// inference in one process (fleet simulators) do, and each agent ignores measurements tagged for another device.
    /// </summary>
    public const string DeviceTag = "edge.device";

    /// <summary>Tag: execution provider (cpu, cuda, tensorrt).</summary>
    public const string ProviderTag = Edge.Sdk.Diagnostics.EdgeMetrics.ProviderTag;
}
