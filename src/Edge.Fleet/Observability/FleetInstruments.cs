using System.Diagnostics;
using System.Diagnostics.Metrics;
using Edge.Fleet.Deployments;

namespace Edge.Fleet.Observability;

/// <summary>
/// The fleet tool's activity source and meter. Without a listener starting a span returns null and recording does
/// nothing, so the CLI pays nothing for them.
/// </summary>
internal static class FleetInstruments
{
    private static readonly string? Version = typeof(FleetInstruments).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(EdgeFleetActivities.SourceName, Version);
    private static readonly Meter Meter = new(EdgeFleetMetrics.MeterName, Version);
    private static readonly Counter<long> JobsPublished = Meter.CreateCounter<long>(EdgeFleetMetrics.JobsPublished, "{job}", "OTA job documents published to devices.");
    private static readonly Counter<long> Rollouts = Meter.CreateCounter<long>(EdgeFleetMetrics.Rollouts, "{rollout}", "Rollout engine runs that ended, by state.");

    /// <summary>Starts the span of one engine run over <paramref name="deployment"/>; null when nothing listens.</summary>
    public static Activity? StartRollout(DeploymentRecord deployment)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(EdgeFleetActivities.Rollout, ActivityKind.Internal);
        activity?.SetTag(EdgeFleetActivities.DeploymentIdTag, deployment.Id);
        activity?.SetTag(EdgeFleetActivities.GroupTag, deployment.Group);
        activity?.SetTag("edge.model.name", deployment.PackageName);
        activity?.SetTag("edge.model.version", deployment.PackageVersion);
        return activity;
    }

    /// <summary>Closes the span with the deployment's state and counts the run.</summary>
    public static void RecordEnd(Activity? activity, DeploymentRecord deployment)
    {
        var state = new KeyValuePair<string, object?>(EdgeFleetActivities.StateTag, deployment.State);
        Rollouts.Add(1, state);
        if (activity is not null)
        {
            activity.SetTag(state.Key, state.Value);
            if (deployment.State == RolloutStates.Aborted)
            {
                activity.SetStatus(ActivityStatusCode.Error, deployment.Reason);
            }
            else if (deployment.State == RolloutStates.Completed)
            {
                activity.SetStatus(ActivityStatusCode.Ok);
            }
        }
    }

    /// <summary>Counts a job document published for <paramref name="deploymentId"/>.</summary>
    public static void JobPublished(string deploymentId) => JobsPublished.Add(1, new KeyValuePair<string, object?>(EdgeFleetActivities.DeploymentIdTag, deploymentId));

    /// <summary>Adds <paramref name="message"/> as an event to the current rollout span, if any.</summary>
    public static void Event(string message) => Activity.Current?.AddEvent(new ActivityEvent(message));
}
