using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Edge.Agent.Observability;

/// <summary>
/// OTA's span and instruments: the <see cref="EdgeAgentActivities.OtaJob"/> span and the job counter and duration
/// (meter <see cref="EdgeAgentMetrics.MeterName"/>). Without a listener, starting a span returns null and recording
/// does nothing.
/// </summary>
internal sealed class OtaJobInstruments : IDisposable
{
    private static readonly string? Version = typeof(OtaJobInstruments).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(EdgeAgentActivities.SourceName, Version);

    private readonly Meter _meter = new(EdgeAgentMetrics.MeterName, Version);
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _duration;

    public OtaJobInstruments()
    {
        _jobs = _meter.CreateCounter<long>(EdgeAgentMetrics.OtaJobs, "{job}", "OTA jobs that ended, by outcome.");
        _duration = _meter.CreateHistogram<double>(EdgeAgentMetrics.OtaJobDuration, "s", "Wall time of an OTA job run that ended.");
    }

    /// <summary>Starts the span of one job run; null when nothing listens.</summary>
    public static Activity? StartJob(OtaJobDocument job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(EdgeAgentActivities.OtaJob, ActivityKind.Internal);
        activity?.SetTag(EdgeAgentActivities.JobIdTag, job.JobId);
        activity?.SetTag("edge.model.name", job.Package.Name);
        activity?.SetTag("edge.model.version", job.Package.Version);
        return activity;
    }

    /// <summary>Counts a job that ended in <paramref name="outcome"/> after <paramref name="elapsed"/> and closes its span's status.</summary>
    public void RecordEnd(Activity? activity, string outcome, string? reason, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>(EdgeAgentMetrics.OutcomeTag, outcome);
        _jobs.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
        if (activity is not null)
        {
            activity.SetTag(EdgeAgentMetrics.OutcomeTag, outcome);
            activity.SetStatus(outcome == OtaJobStates.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, outcome == OtaJobStates.Succeeded ? null : reason);
        }
    }

    public void Dispose() => _meter.Dispose();
}
