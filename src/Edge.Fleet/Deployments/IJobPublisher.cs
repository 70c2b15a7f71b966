using Edge.Protocol.Ota;

namespace Edge.Fleet.Deployments;

/// <summary>
/// How the wave engine reaches devices: publish a job document to one device, and receive the devices' state reports.
/// The MQTT implementation publishes retained documents on <c>edge/{fleet}/{device}/ota/job</c> (docs/protocol.md).
/// </summary>
internal interface IJobPublisher
{
    /// <summary>Raised for every state report a device publishes (any job id); handlers must be quick.</summary>
    event Action<OtaJobStateReport>? ReportReceived;

    /// <summary>
    /// The latest report of every device received so far, for an engine that starts after they arrived (the retained
    /// reports come once, right after subscribing, and a <c>serve</c> instance may take a deployment over much later).
    /// </summary>
    IReadOnlyCollection<OtaJobStateReport> LatestReports { get; }

    Task PublishJobAsync(string device, OtaJobDocument job, CancellationToken cancellationToken);
}
