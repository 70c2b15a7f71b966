using System.Diagnostics;
using System.Diagnostics.Metrics;
using Edge.Sdk.Inference;

namespace Edge.Sdk.Diagnostics;

/// <summary>
/// The SDK's instruments plus one session's tags. Tags are boxed once here and carried in a <see cref="TagList"/>
/// (a struct holding up to eight tags inline), so recording allocates nothing on the hot path.
/// </summary>
internal sealed class InferenceInstruments
{
    private static readonly Meter Meter = new(EdgeMetrics.MeterName, typeof(InferenceInstruments).Assembly.GetName().Version?.ToString());
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(EdgeMetrics.InferenceDuration, "ms", "Wall time of one successful inference call.");
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(EdgeMetrics.InferenceCalls, "{call}", "Inference calls started.");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(EdgeMetrics.InferenceErrors, "{call}", "Inference calls that failed.");
    private static readonly UpDownCounter<long> Queue = Meter.CreateUpDownCounter<long>(EdgeMetrics.QueueLength, "{request}", "Requests waiting in a micro-batch queue.");

    private readonly KeyValuePair<string, object?> model;
    private readonly KeyValuePair<string, object?> version;
    private readonly KeyValuePair<string, object?> provider;

    public InferenceInstruments(string modelName, string modelVersion, ExecutionProvider executionProvider)
    {
        model = new(EdgeMetrics.ModelTag, modelName);
        version = new(EdgeMetrics.VersionTag, modelVersion);
        provider = new(EdgeMetrics.ProviderTag, executionProvider.ToString());
    }

    public void RecordCall()
    {
        if (Calls.Enabled)
        {
            Calls.Add(1, Tags());
        }
    }

    public void RecordSuccess(double milliseconds)
    {
        if (Duration.Enabled)
        {
            Duration.Record(milliseconds, Tags());
        }
    }

    public void RecordError()
    {
        if (Errors.Enabled)
        {
            Errors.Add(1, Tags());
        }
    }

    public void ChangeQueueLength(long delta)
    {
        if (Queue.Enabled)
        {
            Queue.Add(delta, Tags());
        }
    }

    private TagList Tags() => new() { model, version, provider };
}
