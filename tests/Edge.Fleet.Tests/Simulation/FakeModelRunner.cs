using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// Stands in for a device app's inference: records calls, errors and latencies on the SDK's meter (the names the agent
/// listens to) tagged with the device, so each in-process agent reports only its own device's figures. Latency is
/// <see cref="BaseLatencyMs"/> times the factor of the active version, with ±10% deterministic jitter.
/// </summary>
internal sealed class FakeModelRunner
{
    private static readonly Meter Meter = new("Edge.Sdk");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("edge.inference.duration", "ms");
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("edge.inference.calls");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("edge.inference.errors");

    private readonly string _device;
    private readonly Random _random;

    public FakeModelRunner(string device, string model, string version, double baseLatencyMs)
    {
        _device = device;
        Model = model;
        Version = version;
        BaseLatencyMs = baseLatencyMs;
        _random = new Random(device.GetHashCode(StringComparison.Ordinal));
    }

    public string Model { get; }

    public string Version { get; set; }

    public double BaseLatencyMs { get; }

    /// <summary>Latency factor per model version (1.0 when absent).</summary>
    public Dictionary<string, double> LatencyFactorByVersion { get; } = new(StringComparer.Ordinal);

    /// <summary>Fraction of calls that fail per model version (0 when absent).</summary>
    public Dictionary<string, double> ErrorRateByVersion { get; } = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="count"/> inferences of the active version.</summary>
    public void Run(int count)
    {
        var version = Version;
        var factor = LatencyFactorByVersion.GetValueOrDefault(version, 1.0);
        var errorRate = ErrorRateByVersion.GetValueOrDefault(version, 0.0);
        var tags = new TagList
        {
            { "edge.model.name", Model },
            { "edge.model.version", version },
            { "edge.provider", "cpu" },
            { "edge.device", _device },
        };
        for (var i = 0; i < count; i++)
        {
            Calls.Add(1, tags);
            Duration.Record(BaseLatencyMs * factor * (0.9 + (0.2 * _random.NextDouble())), tags);
            if (_random.NextDouble() < errorRate)
            {
                Errors.Add(1, tags);
            }
        }
    }
}
