using System.Diagnostics.Metrics;
using Edge.Agent.Telemetry;

namespace Edge.Agent.Ota.Health;

/// <summary>
/// Listens to the SDK's meter for one model name and version during the post-activation watch window: calls,
/// errors (calls that threw in ONNX Runtime) and successful-call durations. Thread-safe; dispose to stop listening.
/// </summary>
internal sealed class LiveMetricsWatch : IDisposable
{
    private readonly string _name;
    private readonly string _version;
    private readonly MeterListener _listener = new();
    private readonly List<double> _durations = [];
    private readonly Lock _lock = new();
    private long _calls;
    private long _errors;

    public LiveMetricsWatch(string name, string version)
    {
        _name = name;
        _version = version;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SdkInstrumentNames.MeterName
                && instrument.Name is SdkInstrumentNames.InferenceDuration or SdkInstrumentNames.InferenceCalls or SdkInstrumentNames.InferenceErrors)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.Start();
    }

    public (long Calls, long Errors, double P95Ms) Snapshot()
    {
        lock (_lock)
        {
            return (_calls, _errors, LatencyComparison.P95([.. _durations]));
        }
    }

    /// <summary>A copy of the successful calls' durations so far, in ms, in arrival order.</summary>
    public double[] Durations()
    {
        lock (_lock)
        {
            return [.. _durations];
        }
    }

    public void Dispose() => _listener.Dispose();

    private bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var name = false;
        var version = false;
        foreach (var tag in tags)
        {
            if (tag.Key == SdkInstrumentNames.ModelNameTag)
            {
                name = tag.Value as string == _name;
            }
            else if (tag.Key == SdkInstrumentNames.ModelVersionTag)
            {
                version = tag.Value as string == _version;
            }
        }

        return name && version;
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Matches(tags))
        {
            lock (_lock)
            {
                _durations.Add(SdkInstrumentNames.DurationMilliseconds(instrument, value));
            }
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!Matches(tags))
        {
            return;
        }

        lock (_lock)
        {
            if (instrument.Name == SdkInstrumentNames.InferenceCalls)
            {
                _calls += value;
            }
            else if (instrument.Name == SdkInstrumentNames.InferenceErrors)
            {
                _errors += value;
            }
        }
    }
}
