namespace Edge.Agent.Telemetry;

/// <summary>
/// The metrics contract with Edge.Sdk: the meter and instrument names the SDK publishes and the agent listens to.
/// The agent does not reference the SDK; these names are the whole coupling and live only here.
/// </summary>
internal static class SdkInstrumentNames
{
    /// <summary>Name of the SDK's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Edge.Sdk";

    /// <summary>
    /// Histogram&lt;double&gt;: duration of one inference, in seconds (unit "s", the OpenTelemetry convention). Older
    /// builds of the SDK, and some hosts' own instruments, record milliseconds with unit "ms": read values through
    /// <see cref="DurationMilliseconds"/>, which looks at the unit.
    /// </summary>
    public const string InferenceDuration = "edge.inference.duration";

    /// <summary>The instrument unit that means seconds; any other unit is taken as milliseconds.</summary>
    public const string SecondsUnit = "s";

    /// <summary>A duration measurement in milliseconds (the telemetry JSON's unit), whichever unit the instrument declares.</summary>
    public static double DurationMilliseconds(System.Diagnostics.Metrics.Instrument instrument, double value) =>
        instrument.Unit == SecondsUnit ? value * 1000 : value;

    /// <summary>Counter&lt;long&gt;: inference calls.</summary>
    public const string InferenceCalls = "edge.inference.calls";

    /// <summary>Counter&lt;long&gt;: failed inference calls.</summary>
    public const string InferenceErrors = "edge.inference.errors";

    /// <summary>UpDownCounter&lt;long&gt;: requests waiting for a session.</summary>
    public const string InferenceQueueLength = "edge.inference.queue_length";

    /// <summary>Tag: model name.</summary>
    public const string ModelNameTag = "edge.model.name";

    /// <summary>Tag: model version.</summary>
    public const string ModelVersionTag = "edge.model.version";

    /// <summary>
    /// Optional tag: the device a measurement belongs to. The SDK does not set it; hosts that run several devices'
    /// inference in one process (fleet simulators) do, and each agent ignores measurements tagged for another device.
    /// </summary>
    public const string DeviceTag = "edge.device";

    /// <summary>Tag: execution provider (cpu, cuda, tensorrt).</summary>
    public const string ProviderTag = "edge.provider";
}
