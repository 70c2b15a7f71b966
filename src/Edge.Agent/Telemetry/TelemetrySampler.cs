using System.Text.Json;
using Edge.Agent.Drift;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Protocol;
using Edge.Agent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Agent.Telemetry;

/// <summary>Takes one telemetry sample: system figures, inference figures for the interval, outbox state and the app's readings.</summary>
internal sealed partial class TelemetrySampler
{
    private readonly SystemMetricsReader _system;
    private readonly InferenceMetricsCollector _inference;
    private readonly OutboxStatistics _outbox;
    private readonly TimeProvider _time;
    private readonly ITelemetryReadings[] _readings;
    private readonly ILogger _logger;
    private readonly ShadowStatus? _shadow;
    private readonly DriftMonitor? _drift;
    private DateTimeOffset _previous;

    public TelemetrySampler(
        SystemMetricsReader system,
        InferenceMetricsCollector inference,
        OutboxStatistics outbox,
        TimeProvider time,
        IEnumerable<ITelemetryReadings>? readings = null,
        ILogger<TelemetrySampler>? logger = null,
        ShadowStatus? shadow = null,
        DriftMonitor? drift = null)
    {
        _drift = drift;
        _shadow = shadow;
        _system = system;
        _inference = inference;
        _outbox = outbox;
        _time = time;
        _readings = readings?.ToArray() ?? [];
        _logger = logger ?? NullLogger<TelemetrySampler>.Instance;
        _previous = time.GetUtcNow();
    }

    /// <summary>The most recent sample, for <c>collect-diagnostics</c>; null before the first.</summary>
    public TelemetrySample? Latest { get; private set; }

    public TelemetrySample Sample()
    {
        var now = _time.GetUtcNow();
        var sample = new TelemetrySample
        {
            Timestamp = now,
            IntervalMs = (long)(now - _previous).TotalMilliseconds,
            System = _system.Read(),
            Inference = _inference.Collect(),
            Outbox = _outbox.Snapshot(),
            Readings = ReadApp(),
            Shadow = _shadow?.Current,
            Drift = _drift?.Current,
        };
        _previous = now;
        Latest = sample;
        return sample;
    }

    /// <summary>The registered sources' readings; null (left out of the JSON) when the app registered none.</summary>
    private SortedDictionary<string, double>? ReadApp()
    {
        if (_readings.Length == 0)
        {
            return null;
        }

        var all = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var one = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var source in _readings)
        {
            one.Clear();
            try
            {
                source.Read(one);
            }
#pragma warning disable CA1031 // A failing sensor must not cost the device its system and inference figures.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogReadingsFailed(_logger, source.GetType().Name, e);
                continue;
            }

            foreach (var (name, value) in one)
            {
                if (double.IsFinite(value))
                {
                    all[name] = value;
                }
            }
        }

        return all;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry readings from {Source} failed; they are left out of this sample")]
    private static partial void LogReadingsFailed(ILogger logger, string source, Exception exception);

    public static byte[] Serialize(TelemetrySample sample) =>
        JsonSerializer.SerializeToUtf8Bytes(sample, AgentJsonContext.Default.TelemetrySample);
}
