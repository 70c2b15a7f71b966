using System.Text.Json;
using Edge.Agent.Protocol;
using Edge.Agent.Storage;

namespace Edge.Agent.Telemetry;

/// <summary>Takes one telemetry sample: system figures, inference figures for the interval, outbox state.</summary>
internal sealed class TelemetrySampler
{
    private readonly SystemMetricsReader _system;
    private readonly InferenceMetricsCollector _inference;
    private readonly OutboxStatistics _outbox;
    private readonly TimeProvider _time;
    private DateTimeOffset _previous;

    public TelemetrySampler(SystemMetricsReader system, InferenceMetricsCollector inference, OutboxStatistics outbox, TimeProvider time)
    {
        _system = system;
        _inference = inference;
        _outbox = outbox;
        _time = time;
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
        };
        _previous = now;
        Latest = sample;
        return sample;
    }

    public static byte[] Serialize(TelemetrySample sample) =>
        JsonSerializer.SerializeToUtf8Bytes(sample, AgentJsonContext.Default.TelemetrySample);
}
