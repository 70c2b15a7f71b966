using System.Diagnostics.Metrics;
using Edge.Agent.Protocol;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Telemetry;

/// <summary>
/// Listens to the SDK's meter and aggregates per model, version and provider over one telemetry interval:
/// calls, errors and latency percentiles. Latencies are kept in a fixed-size reservoir per key (uniform sampling
/// once full), so memory stays bounded however many inferences run in an interval.
/// </summary>
internal sealed class InferenceMetricsCollector : IDisposable
{
    public const int ReservoirCapacity = 4096;

    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly Dictionary<InferenceKey, Aggregate> _aggregates = [];
    private readonly Random _random = new();
    private readonly string? _deviceId;

    /// <param name="options">The agent's settings; their <c>DeviceId</c> filters measurements tagged
    /// <see cref="SdkInstrumentNames.DeviceTag"/> for another device (several simulated devices in one process).</param>
    public InferenceMetricsCollector(IOptions<EdgeAgentOptions>? options = null)
    {
        _deviceId = options?.Value.DeviceId;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SdkInstrumentNames.MeterName && instrument.Name is SdkInstrumentNames.InferenceDuration
                    or SdkInstrumentNames.InferenceCalls or SdkInstrumentNames.InferenceErrors or SdkInstrumentNames.InferenceQueueLength)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => OnLong(instrument, value, tags, state));
        _listener.Start();
    }

    /// <summary>Returns the figures since the previous call and starts a new interval. Queue lengths carry over.</summary>
    public IReadOnlyList<InferenceFigures> Collect()
    {
        lock (_gate)
        {
            var figures = new List<InferenceFigures>(_aggregates.Count);
            foreach (var (key, aggregate) in _aggregates)
            {
                var sorted = aggregate.Samples.AsSpan(0, aggregate.SampleCount);
                sorted.Sort();
                figures.Add(new InferenceFigures
                {
                    Model = key.Model,
                    Version = key.Version,
                    Provider = key.Provider,
                    Calls = aggregate.Calls,
                    Errors = aggregate.Errors,
                    QueueLength = aggregate.QueueLength,
                    P50Ms = Percentile(sorted, 0.50),
                    P95Ms = Percentile(sorted, 0.95),
                    P99Ms = Percentile(sorted, 0.99),
                });
                aggregate.ResetInterval();
            }

            return figures;
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Nearest-rank percentile of an ascending span; null when there are no samples.</summary>
    internal static double? Percentile(ReadOnlySpan<double> sorted, double fraction)
    {
        if (sorted.IsEmpty)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != SdkInstrumentNames.InferenceDuration)
        {
            return;
        }

        if (IsForAnotherDevice(tags))
        {
            return;
        }

        var key = KeyOf(tags);
        lock (_gate)
        {
            AggregateFor(key).AddSample(SdkInstrumentNames.DurationMilliseconds(instrument, value), _random);
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (IsForAnotherDevice(tags))
        {
            return;
        }

        var key = KeyOf(tags);
        lock (_gate)
        {
            var aggregate = AggregateFor(key);
            switch (instrument.Name)
            {
                case SdkInstrumentNames.InferenceCalls:
                    aggregate.Calls += value;
                    break;
                case SdkInstrumentNames.InferenceErrors:
                    aggregate.Errors += value;
                    break;
                case SdkInstrumentNames.InferenceQueueLength:
                    aggregate.QueueLength += value;
                    break;
            }
        }
    }

    private bool IsForAnotherDevice(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_deviceId is null)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (tag.Key == SdkInstrumentNames.DeviceTag)
            {
                return !string.Equals(tag.Value as string, _deviceId, StringComparison.Ordinal);
            }
        }

        return false;
    }

    private Aggregate AggregateFor(InferenceKey key)
    {
        if (!_aggregates.TryGetValue(key, out var aggregate))
        {
            aggregate = new Aggregate();
            _aggregates.Add(key, aggregate);
        }

        return aggregate;
    }

    private static InferenceKey KeyOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string model = "unknown", version = "unknown", provider = "unknown";
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case SdkInstrumentNames.ModelNameTag:
                    model = tag.Value?.ToString() ?? model;
                    break;
                case SdkInstrumentNames.ModelVersionTag:
                    version = tag.Value?.ToString() ?? version;
                    break;
                case SdkInstrumentNames.ProviderTag:
                    provider = tag.Value?.ToString() ?? provider;
                    break;
            }
        }

        return new InferenceKey(model, version, provider);
    }

    private sealed class Aggregate
    {
        public double[] Samples { get; } = new double[ReservoirCapacity];

        public int SampleCount { get; private set; }

        public long SamplesSeen { get; private set; }

        public long Calls { get; set; }

        public long Errors { get; set; }

        public long QueueLength { get; set; }

        public void AddSample(double value, Random random)
        {
            SamplesSeen++;
            if (SampleCount < Samples.Length)
            {
                Samples[SampleCount++] = value;
                return;
            }

            // Reservoir sampling (algorithm R): every sample of the interval is kept with equal probability.
            var slot = random.NextInt64(SamplesSeen);
            if (slot < Samples.Length)
            {
                Samples[slot] = value;
            }
        }

        public void ResetInterval()
        {
            SampleCount = 0;
            SamplesSeen = 0;
            Calls = 0;
            Errors = 0;
        }
    }
}
