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

    Task PublishJobAsync(string device, OtaJobDocument job, CancellationToken cancellationToken);
}
