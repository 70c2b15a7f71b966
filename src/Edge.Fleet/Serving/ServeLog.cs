using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Serving;

/// <summary>The log lines of <c>edge-fleet serve</c> (source-generated, so a disabled level costs nothing).</summary>
internal static partial class ServeLog
{
    [LoggerMessage(1, LogLevel.Information, "serve {Instance} (client id {ClientId}) ingesting fleet '{Fleet}' from {Broker} into {Store} through {Filter}")]
    public static partial void Started(this ILogger logger, string instance, string clientId, string fleet, string broker, string store, string filter);

    [LoggerMessage(2, LogLevel.Warning, "--instance was not given: the id {Instance} changes on every start, so what the broker queued for an earlier start waits in that session until it expires; give services a fixed --instance")]
    public static partial void InstanceNotFixed(this ILogger logger, string instance);

    [LoggerMessage(3, LogLevel.Information, "broker: {Line}")]
    public static partial void Broker(this ILogger logger, string line);

    [LoggerMessage(4, LogLevel.Warning, "malformed message on '{Topic}': {Error}")]
    public static partial void Malformed(this ILogger logger, string topic, string error);

    [LoggerMessage(5, LogLevel.Error, "storing a batch of {Count} messages failed (attempt {Attempt}; retrying in {DelaySeconds} s, nothing is acknowledged until it succeeds)")]
    public static partial void StoreFailed(this ILogger logger, Exception exception, int count, int attempt, double delaySeconds);

    [LoggerMessage(6, LogLevel.Information, "serve {Instance} stopped: {Statistics}")]
    public static partial void Stopped(this ILogger logger, string instance, ServeStatistics statistics);

    [LoggerMessage(8, LogLevel.Information, "serve {Instance} connected and subscribed; ingesting")]
    public static partial void Subscribed(this ILogger logger, string instance);

    [LoggerMessage(7, LogLevel.Warning, "telemetry retention failed; it runs again later")]
    public static partial void PruneFailed(this ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "serve {Instance} took the lease of {Deployment} ({State}, wave {Wave}) and drives it")]
    public static partial void TookOver(this ILogger logger, string instance, string deployment, string state, int wave);

    [LoggerMessage(10, LogLevel.Information, "rollout: {Line}")]
    public static partial void RolloutEvent(this ILogger logger, string line);

    [LoggerMessage(11, LogLevel.Information, "serve {Instance} finished driving {Deployment}: {State} {Reason}")]
    public static partial void RolloutEnded(this ILogger logger, string instance, string deployment, string state, string reason);

    [LoggerMessage(12, LogLevel.Warning, "serve {Instance} lost the lease of {Deployment}: {Message}")]
    public static partial void LeaseLost(this ILogger logger, string instance, string deployment, string message);

    [LoggerMessage(13, LogLevel.Error, "driving {Deployment} failed; its lease runs out and it is taken up again")]
    public static partial void RolloutFailed(this ILogger logger, Exception exception, string deployment);

    [LoggerMessage(14, LogLevel.Error, "looking for deployments to drive failed; trying again at the next poll")]
    public static partial void RolloutPollFailed(this ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "serve {Instance} cannot drive {Deployment}: {Reason}; trying again in a minute")]
    public static partial void CannotDrive(this ILogger logger, string instance, string deployment, string reason);
}
