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
    /// <summary>
    /// Explicit bucket boundaries in seconds for exporters that build histograms (OpenTelemetry): the SDK's calls take
    /// 0.1 ms to seconds, below the default boundaries (which start at 5 s when the unit is seconds).
    /// </summary>
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly Meter Meter = new(EdgeMetrics.MeterName, typeof(InferenceInstruments).Assembly.GetName().Version?.ToString());
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        EdgeMetrics.InferenceDuration, "s", "Wall time of one successful inference call.", tags: null, DurationBuckets);
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(EdgeMetrics.InferenceCalls, "{call}", "Inference calls started.");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(EdgeMetrics.InferenceErrors, "{call}", "Inference calls that failed.");
    private static readonly UpDownCounter<long> Queue = Meter.CreateUpDownCounter<long>(EdgeMetrics.QueueLength, "{request}", "Requests waiting in a micro-batch queue.");

    private static readonly ActivitySource Source = new(EdgeActivities.SourceName, typeof(InferenceInstruments).Assembly.GetName().Version?.ToString());

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

    public void RecordSuccess(double seconds)
    {
        if (Duration.Enabled)
        {
            Duration.Record(seconds, Tags());
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

    /// <summary>Starts the span of one call; null (nothing allocated) when no listener samples it.</summary>
    public Activity? StartActivity() =>
        Source.HasListeners() ? Source.StartActivity(EdgeActivities.Inference, ActivityKind.Internal, parentContext: default, Tags()) : null;

    /// <summary>Marks <paramref name="activity"/> failed by <paramref name="exception"/>.</summary>
    public static void RecordFailure(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.SetTag(EdgeActivities.ErrorTypeTag, exception.GetType().FullName);
        }
    }

    private TagList Tags() => new() { model, version, provider };
}
